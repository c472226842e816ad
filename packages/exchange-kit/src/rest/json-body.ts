import { InvalidMessageError } from '@arbitrage/core';
import type { RestResponse } from './types.js';

/** The body as JSON; a body that is not JSON is an InvalidMessageError (reason `malformed-json`). */
export function parseJsonBody(response: RestResponse, exchange: string, what: string): unknown {
  const text = response.body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidMessageError(
      exchange,
      'malformed-json',
      `${exchange} ${what} answered with a body that is not JSON: ${text.slice(0, 80)}`,
      { cause },
    );
  }
}

/** Like parseJsonBody, undefined instead of an error (for error bodies, which may be anything). */
export function tryJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
