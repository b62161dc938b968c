export { postgresUrl, amqpUrl, requireServer, postgresTestUrl, amqpTestUrl, redactUrl, type TestServer } from './serverProbes.js';
export { proxyServer, startTcpProxy, type TcpProxy } from './tcpProxy.js';
export { dropSchema, testDatabaseTarget, type TestDatabaseTarget, type TestEngine } from './test-database.js';
export { createTestLog, waitFor } from './test-log.js';
export { removeRabbitTopology, type RabbitTopologyToRemove } from './rabbit-cleanup.js';
export { openTestQueue, queueBackends, type QueueBackend, type TestQueue } from './test-queue.js';
export { holdLock } from './hold-lock.js';
