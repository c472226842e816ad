import { afterAll, beforeAll, describe, it } from 'vitest';
import { type CaseResult, runCase } from '../src/case-runner.js';
import { ProcessWatch } from '../src/process-watch.js';
import { writeMatrixPart } from '../src/results.js';
import { STALL_SCENARIOS } from '../src/scenarios-stall.js';
import { recordAndAssert } from './record-case.js';

/**
 * docs/faults.md 30 and 31 block the event loop on purpose: declared after the concurrent blocks, one
 * case at a time, so that they never stall another case.
 */
export function declareStallMatrix(): void {
  const results = new Map<string, CaseResult>();
  const watch = new ProcessWatch();
  beforeAll(() => {
    watch.install();
  });
  afterAll(() => {
    watch.uninstall();
    writeMatrixPart('stall', [...results.values()]);
  });

  describe('fault matrix: event-loop stalls', () => {
    for (const scenario of STALL_SCENARIOS) {
      for (const kind of scenario.providers) {
        for (const exchange of scenario.exchanges) {
          const key = `${scenario.id}/${exchange}/${kind}`;
          it(`${scenario.id} ${scenario.name} [${exchange}, ${kind}]`, {
            timeout: 30_000,
            retry: 2,
          }, async () => {
            recordAndAssert(results, key, await runCase(scenario, exchange, kind, watch));
          });
        }
      }
    }
  });
}
