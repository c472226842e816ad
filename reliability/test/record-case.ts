import { expect } from 'vitest';
import type { CaseResult } from '../src/case-runner.js';
import { KNOWN_ISSUES } from './known-issues.js';

/**
 * Records a case's result (the last attempt wins, with the attempt count) and asserts it: a case in
 * KNOWN_ISSUES must fail the documented way; every other case must pass.
 */
export function recordAndAssert(results: Map<string, CaseResult>, key: string, result: CaseResult): void {
  const known = KNOWN_ISSUES[key];
  const attempts = (results.get(key)?.attempts ?? 0) + 1;
  results.set(key, { ...result, attempts, ...(known ? { knownIssue: known.reason } : {}) });
  if (known) {
    expect(
      result.failures.some((failure) => known.failure.test(failure)),
      result.failures.join('\n'),
    ).toBe(true);
  } else {
    expect(result.failures).toEqual([]);
  }
}
