export { freePort, type NatsServerHandle, type NatsServerOptions, startNatsServer } from './nats-server.js';
export { type Finished, type RunningScript, startNodeScript } from './node-script.js';
export { seededRandom } from './random.js';
export { sleep, type WaitDescription, type WaitOptions, waitFor } from './wait.js';
