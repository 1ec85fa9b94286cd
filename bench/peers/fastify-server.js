'use strict';
// The Twilio webhook of bench/run in fastify: @fastify/formbody for the form,
// twilio.validateRequest for the signature, 2 workers (cluster.js). Listens on 127.0.0.1 only.
require('./cluster')('fastify-server', ({ port, token, url, twiml }) => {
  const fastify = require('fastify')({ logger: false });
  const twilio = require('twilio');

  fastify.register(require('@fastify/formbody'));
  fastify.post('/webhooks/twilio', async (request, reply) => {
    const signature = request.headers['x-twilio-signature'] || '';
    if (!twilio.validateRequest(token, signature, url, request.body || {})) {
      reply.code(403).type('text/plain');
      return 'Twilio Request Validation Failed.';
    }
    reply.code(200).type('text/xml');
    return twiml;
  });
  fastify.listen({ port, host: '127.0.0.1' }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
});
