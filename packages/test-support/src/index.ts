export { freePort, type NatsServerHandle, type NatsServerOptions, startNatsServer } from './nats-server.js';
export { seededRandom } from './random.js';
export { sleep, type WaitDescription, type WaitOptions, waitFor } from './wait.js';
