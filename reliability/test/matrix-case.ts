import { afterAll, beforeAll, describe, it } from 'vitest';
import { type CaseResult, runCase, warmUp } from '../src/case-runner.js';
import { ProcessWatch } from '../src/process-watch.js';
import type { ProviderKind } from '../src/providers.js';
import { writeMatrixPart } from '../src/results.js';
import { casesFor } from '../src/scenarios.js';
import { recordAndAssert } from './record-case.js';

/**
 * Declares the matrix cases of one provider kind. Cases run concurrently (each has its own
 * simulator, proxies and ports). A case listed in KNOWN_ISSUES must fail the way the issue says
 * (so the suite stays green and turns red the day the bug is fixed); every other case must pass.
 */
let warmedUp = false;

export function declareMatrix(kind: ProviderKind): void {
  const results = new Map<string, CaseResult>();
  const watch = new ProcessWatch();
  beforeAll(async () => {
    watch.install();
    if (!warmedUp) await warmUp();
    warmedUp = true;
  }, 20_000);
  afterAll(() => {
    watch.uninstall();
    writeMatrixPart(kind, [...results.values()]);
  });
  describe.concurrent(`fault matrix: ${kind}`, () => {
    for (const { scenario, exchange } of casesFor(kind)) {
      const key = `${scenario.id}/${exchange}/${kind}`;
      // A timing failure on a loaded 2-core machine gets up to two more tries; the table says how many it took.
      it(`${scenario.id} ${scenario.name} [${exchange}]`, { timeout: 30_000, retry: 2 }, async () => {
        recordAndAssert(results, key, await runCase(scenario, exchange, kind, watch));
      });
    }
  });
}
