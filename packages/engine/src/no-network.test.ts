import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../package.json', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-support' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('paper mode cannot send an order anywhere', () => {
  it('no shipped source file imports a network module or calls a network API', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(10);
    const forbidden =
      /from ['"](node:)?(net|http|https|http2|tls|dgram|dns|child_process|worker_threads)['"]|from ['"](ws|axios|undici|node-fetch)['"]|\bfetch\(|\bWebSocket\b|\bXMLHttpRequest\b/;
    for (const file of files) {
      const imports = readFileSync(file, 'utf8');
      expect(forbidden.test(imports), file).toBe(false);
    }
  });

  it('depends on nothing but @arbitrage/core', () => {
    const manifest = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as Record<string, Record<string, string>>;
    expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
    expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(['@arbitrage/core']);
  });
});
