'use strict';
// The Twilio webhook of bench/run in express: express.urlencoded for the form, twilio.webhook()
// for the signature (validated against http://127.0.0.1:PORT/webhooks/twilio), 2 workers
// (cluster.js). Listens on 127.0.0.1 only.
require('./cluster')('express-server', ({ port, token, url, twiml }) => {
  const express = require('express');
  const twilio = require('twilio');
  const app = express();

  app.disable('x-powered-by');
  app.post(
    '/webhooks/twilio',
    express.urlencoded({ extended: false, limit: '64kb' }),
    twilio.webhook(token, { validate: true, url }),
    (request, response) => {
      response.status(200).type('text/xml').send(twiml);
    },
  );
  app.listen(port, '127.0.0.1');
});
