export type QueryValue = string | number | boolean;
export type QueryParams = Readonly<Record<string, QueryValue | undefined>>;

/**
 * `key=value` pairs in insertion order, undefined values skipped, encoded as axios encodes
 * params (URI-encoded except `:` `$` `,`, spaces as `+`). A signed request signs exactly this text
 * and sends it as the query, so what is signed is what is sent.
 */
export function queryString(params: QueryParams | undefined): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined) pairs.push(`${encode(key)}=${encode(String(value))}`);
  }
  return pairs.join('&');
}

function encode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%3A/gi, ':')
    .replace(/%24/g, '$')
    .replace(/%2C/gi, ',')
    .replace(/%20/g, '+');
}
