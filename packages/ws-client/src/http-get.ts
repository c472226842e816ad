import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';

export interface HttpGetOptions {
  /** Query parameters, encoded as axios does (`,` and `:` left readable). */
  readonly params?: Readonly<Record<string, string | number>>;
  /** The caller's keep-alive agent, matching the URL's protocol. */
  readonly agent?: http.Agent;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborting rejects with the signal's reason and destroys the request. */
  readonly signal?: AbortSignal;
  /**
   * The largest body accepted, bytes, after decompression (default 16 MiB); a larger one fails
   * with code ERR_BODY_TOO_LARGE.
   */
  readonly maxBytes?: number;
}

export interface HttpGetResponse {
  /** Every status is a response, redirects included (none is followed). */
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Decompressed: gzip and deflate are asked for (exchangeInfo shrinks ~15 times) and undone. */
  readonly body: Buffer;
}

/** A transport failure with Node's error code (ECONNREFUSED, ECONNRESET, ERR_BODY_TOO_LARGE, ...). */
export class HttpGetError extends Error {
  override readonly name = 'HttpGetError';

  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** A keep-alive agent for the protocol of `baseUrl`, to pass as `agent` to every httpGet there. */
export function keepAliveAgent(baseUrl: string, maxSockets = 8): http.Agent {
  return baseUrl.startsWith('https:')
    ? new https.Agent({ keepAlive: true, maxSockets })
    : new http.Agent({ keepAlive: true, maxSockets });
}

/** Appends `params` to `base` + `path`; values are URI-encoded except `,` `:` `$`, spaces become `+`. */
export function requestUrl(base: string, path: string, params?: HttpGetOptions['params']): URL {
  const url = new URL(base.replace(/\/+$/, '') + path);
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params ?? {})) {
    pairs.push(`${encode(key)}=${encode(String(value))}`);
  }
  if (pairs.length > 0) url.search = (url.search ? `${url.search}&` : '?') + pairs.join('&');
  return url;
}

function encode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%3A/gi, ':')
    .replace(/%24/g, '$')
    .replace(/%2C/gi, ',')
    .replace(/%20/g, '+');
}

/**
 * One GET on node:http(s), the whole body in a Buffer, gzip or deflate undone off the main thread:
 * what the exchange REST clients need and nothing more. It replaced axios, whose import alone (with Node's fetch, which it loads) costs a
 * client 10 MB of RSS and doubles V8's young generation (bench/README.md). Statuses are not errors;
 * transport failures reject with HttpGetError, an abort with the signal's reason.
 */
export function httpGet(url: URL, options: HttpGetOptions = {}): Promise<HttpGetResponse> {
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (transport === undefined) {
    return Promise.reject(
      new HttpGetError(`GET ${url.href}: only http and https are supported`, 'ERR_PROTOCOL'),
    );
  }
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise<HttpGetResponse>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: unknown): void => finish(() => reject(error));
    const request = transport.get(
      url,
      {
        ...(options.agent ? { agent: options.agent } : {}),
        headers: { 'Accept-Encoding': 'gzip, deflate', ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) {
            chunks.push(chunk);
            return;
          }
          fail(new HttpGetError(`GET ${url.href}: the body exceeds ${maxBytes} bytes`, 'ERR_BODY_TOO_LARGE'));
          request.destroy();
        });
        response.on('end', () => {
          const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
          const done = (body: Buffer): void =>
            finish(() => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
          decode(url, response.headers['content-encoding'], raw, maxBytes, done, fail);
        });
        response.on('error', (error) => fail(transportError(url, error)));
        response.on('close', () => {
          if (!response.complete) {
            fail(
              new HttpGetError(`GET ${url.href}: the connection closed before the body ended`, 'ECONNRESET'),
            );
          }
        });
      },
    );
    request.on('error', (error) => fail(transportError(url, error)));
    const onAbort = (): void => {
      fail(signal?.reason);
      request.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Undoes a gzip or deflate content encoding on libuv's thread pool. */
function decode(
  url: URL,
  encoding: string | undefined,
  raw: Buffer,
  maxBytes: number,
  done: (body: Buffer) => void,
  fail: (error: unknown) => void,
): void {
  const scheme = encoding?.trim().toLowerCase();
  if (scheme === undefined || scheme === '' || scheme === 'identity') {
    done(raw);
    return;
  }
  if (scheme !== 'gzip' && scheme !== 'x-gzip' && scheme !== 'deflate') {
    fail(new HttpGetError(`GET ${url.href}: unsupported content encoding ${scheme}`, 'ERR_CONTENT_ENCODING'));
    return;
  }
  // Deflate as servers send it is zlib-wrapped; unzip also takes gzip, so one call serves both.
  zlib.unzip(raw, { maxOutputLength: maxBytes }, (error, body) => {
    if (error === null) done(body);
    else if ((error as Error & { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      fail(new HttpGetError(`GET ${url.href}: the body exceeds ${maxBytes} bytes`, 'ERR_BODY_TOO_LARGE'));
    } else
      fail(
        new HttpGetError(
          `GET ${url.href}: the ${scheme} body is corrupt: ${error.message}`,
          'ERR_CONTENT_ENCODING',
          { cause: error },
        ),
      );
  });
}

function transportError(url: URL, error: Error & { code?: string }): HttpGetError {
  const code = error.code ?? 'ERR_NETWORK';
  return new HttpGetError(`GET ${url.href} failed: ${code} ${error.message}`, code, { cause: error });
}
