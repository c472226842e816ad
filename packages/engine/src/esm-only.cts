// `require()` of this package lands here (the "require" condition of "exports"): without it Node
// says only "No exports main defined", which does not tell a CommonJS user what to do instead.
const name = '@arbitrage/engine';
throw Object.assign(
  new Error(
    `${name} is ESM-only (Node >= 20.19): use import { … } from '${name}', or await import('${name}') from CommonJS`,
  ),
  { code: 'ERR_REQUIRE_ESM' },
);
