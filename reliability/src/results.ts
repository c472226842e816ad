import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './case-runner.js';

/** reliability/results, whether running from src (vitest) or dist (node). */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Writes one part of the matrix (one provider's cases) as results/matrix-<part>.json. */
export function writeMatrixPart(part: string, results: readonly CaseResult[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `matrix-${part}.json`);
  const sorted = [...results].sort(
    (a, b) => a.scenarioId.localeCompare(b.scenarioId) || a.exchange.localeCompare(b.exchange),
  );
  writeFileSync(
    file,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, part, results: sorted }, null, 2)}\n`,
  );
  return file;
}

/** Every part written so far, merged. */
export function readMatrix(): CaseResult[] {
  const out: CaseResult[] = [];
  for (const name of readdirSync(RESULTS_DIR)) {
    if (!/^matrix-.*\.json$/.test(name)) continue;
    const parsed: unknown = JSON.parse(readFileSync(join(RESULTS_DIR, name), 'utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'results' in parsed &&
      Array.isArray(parsed.results)
    ) {
      out.push(...(parsed.results as CaseResult[]));
    }
  }
  return out;
}
