'use strict';
// What both node peers of bench/run share: their settings from the environment, and
// node:cluster with WORKERS (default 2) workers, each running `startWorker`.
// Env: PORT, TWILIO_AUTH_TOKEN, WORKERS.
const cluster = require('node:cluster');

module.exports = function runClustered(name, startWorker) {
  const port = Number(process.env.PORT || 3000);
  const token = process.env.TWILIO_AUTH_TOKEN;
  const workers = Number(process.env.WORKERS || 2);
  if (!token) {
    console.error(`${name}: TWILIO_AUTH_TOKEN is required`);
    process.exit(2);
  }
  if (!cluster.isPrimary) {
    startWorker({
      port,
      token,
      url: `http://127.0.0.1:${port}/webhooks/twilio`,
      twiml: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
    });
    return;
  }
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    console.error(`${name}: worker ${worker.process.pid} exited (${signal || code})`);
  });
  const stop = () => {
    for (const id in cluster.workers) cluster.workers[id].process.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};
