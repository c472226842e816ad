import type { Agent } from 'node:http';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { keepAliveAgent } from './keep-alive-agent.js';
import { loadAxios } from './load-axios.js';
import type { RestMethod, RestResponse } from './types.js';

// Loaded with the module, as every exchange plugin imports it, rather than on the first request:
// ~100 ms cold, better paid at start-up than by the request that brings the first book.
loadAxios();

export interface TransportRequest {
  readonly method: RestMethod;
  /** Path and query, below the base URL. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * axios with its `http` adapter on one keep-alive agent: every status is an answer, no redirect
 * followed, no proxy from the environment, gzip/deflate undone, the body a Buffer capped at
 * `maxBodyBytes` after decompression. axios is loaded with this module.
 */
export class AxiosTransport {
  private readonly agent: Agent;
  private axios: AxiosInstance | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly maxBodyBytes: number,
    maxSockets?: number,
  ) {
    this.agent = keepAliveAgent(baseUrl, maxSockets);
  }

  async send(request: TransportRequest): Promise<Omit<RestResponse, 'receivedAt'>> {
    const answer: AxiosResponse<Buffer> = await this.instance().request({
      method: request.method,
      url: request.url,
      headers: { ...request.headers },
      ...(request.body === undefined ? {} : { data: request.body }),
      signal: request.signal,
    });
    return {
      status: answer.status,
      headers: headerRecord(answer.headers),
      body: Buffer.isBuffer(answer.data) ? answer.data : Buffer.from(answer.data ?? []),
    };
  }

  /** Ends the keep-alive sockets (requests in flight fail). */
  close(): void {
    this.agent.destroy();
  }

  private instance(): AxiosInstance {
    this.axios ??= loadAxios().create({
      baseURL: this.baseUrl,
      adapter: 'http',
      ...(this.baseUrl.startsWith('https:') ? { httpsAgent: this.agent } : { httpAgent: this.agent }),
      proxy: false,
      maxRedirects: 0,
      decompress: true,
      responseType: 'arraybuffer',
      transformResponse: [(data: unknown) => data],
      maxContentLength: this.maxBodyBytes,
      maxBodyLength: this.maxBodyBytes,
      validateStatus: () => true,
    });
    return this.axios;
  }
}

function headerRecord(headers: AxiosResponse['headers']): RestResponse['headers'] {
  const record: Record<string, string | readonly string[] | undefined> = {};
  for (const [name, value] of Object.entries(
    (headers as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? headers,
  )) {
    const key = name.toLowerCase();
    if (typeof value === 'string') record[key] = value;
    else if (Array.isArray(value)) record[key] = value.map(String);
    else if (typeof value === 'number') record[key] = String(value);
  }
  return record;
}
