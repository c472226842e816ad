import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface UplotAssets {
  readonly js: string;
  readonly css: string;
}

let cached: UplotAssets | undefined;

/** uPlot's built browser script and stylesheet, read from the installed package, to inline in the page. */
export function uplotAssets(): UplotAssets {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  // Inlined as-is, so a closing tag inside either would end its block early.
  if (/<\/script/i.test(js) || /<\/style/i.test(css)) {
    throw new Error('uPlot asset contains a closing tag and cannot be inlined');
  }
  cached = { js, css };
  return cached;
}
