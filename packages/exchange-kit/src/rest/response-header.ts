import type { RestResponse } from './types.js';

/** The first value of a header (names are lower case), or undefined. */
export function responseHeader(response: RestResponse, name: string): string | undefined {
  const value = response.headers[name];
  return typeof value === 'string' ? value : value?.[0];
}
