'use strict';
// The Twilio webhook of bench/run in fastify: node:cluster with WORKERS (default 2) workers,
// @fastify/formbody for the form, twilio.validateRequest for the signature.
// Env: PORT, TWILIO_AUTH_TOKEN, WORKERS. Listens on 127.0.0.1 only.
const cluster = require('node:cluster');

const port = Number(process.env.PORT || 3000);
const token = process.env.TWILIO_AUTH_TOKEN;
const workers = Number(process.env.WORKERS || 2);
if (!token) {
  console.error('fastify-server: TWILIO_AUTH_TOKEN is required');
  process.exit(2);
}

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    console.error(`fastify-server: worker ${worker.process.pid} exited (${signal || code})`);
  });
  const stop = () => {
    for (const id in cluster.workers) cluster.workers[id].process.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  const fastify = require('fastify')({ logger: false });
  const twilio = require('twilio');
  const url = `http://127.0.0.1:${port}/webhooks/twilio`;
  const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

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
}
