export { seededRandom } from './random.js';
export { sleep, type WaitDescription, type WaitOptions, waitFor } from './wait.js';
