import { PROVIDER_KINDS } from '../src/providers.js';
import { declareMatrix } from './matrix-case.js';
import { declareStallMatrix } from './stall-cases.js';

// One file, one worker: the providers' blocks run one after the other, each with up to
// `maxConcurrency` cases at once; the event-loop stalls come last, one at a time. The soak runs in
// its own file (a child process) on the other worker.
for (const kind of PROVIDER_KINDS) declareMatrix(kind);
declareStallMatrix();
