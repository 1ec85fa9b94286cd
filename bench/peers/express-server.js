'use strict';
// The Twilio webhook of bench/run in express: node:cluster with WORKERS (default 2) workers,
// express.urlencoded for the form, twilio.webhook() for the signature (validated against
// http://127.0.0.1:PORT/webhooks/twilio).
// Env: PORT, TWILIO_AUTH_TOKEN, WORKERS. Listens on 127.0.0.1 only.
const cluster = require('node:cluster');

const port = Number(process.env.PORT || 3000);
const token = process.env.TWILIO_AUTH_TOKEN;
const workers = Number(process.env.WORKERS || 2);
if (!token) {
  console.error('express-server: TWILIO_AUTH_TOKEN is required');
  process.exit(2);
}

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    console.error(`express-server: worker ${worker.process.pid} exited (${signal || code})`);
  });
  const stop = () => {
    for (const id in cluster.workers) cluster.workers[id].process.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  const express = require('express');
  const twilio = require('twilio');
  const app = express();
  const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

  app.disable('x-powered-by');
  app.post(
    '/webhooks/twilio',
    express.urlencoded({ extended: false, limit: '64kb' }),
    twilio.webhook(token, { validate: true, url: `http://127.0.0.1:${port}/webhooks/twilio` }),
    (request, response) => {
      response.status(200).type('text/xml').send(twiml);
    },
  );
  app.listen(port, '127.0.0.1');
}
