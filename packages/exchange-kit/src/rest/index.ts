export { parseJsonBody, tryJsonBody } from './json-body.js';
export { type QueryParams, type QueryValue, queryString } from './query-string.js';
export { DEFAULT_RATE_LIMIT_WAITS, type RateLimitWait, type RateLimitWaits } from './rate-limit-gate.js';
export { RequestScheduler, type RequestSchedulerOptions } from './request-scheduler.js';
export { responseHeader } from './response-header.js';
export { RestPipeline, type RestPipelineOptions, type RestPipelineStats } from './rest-pipeline.js';
export {
  createHsJwt,
  type HmacQuerySignerOptions,
  hmacQuerySigner,
  hmacSha256Hex,
  type JwtAlgorithm,
  type JwtSignerOptions,
  jwtSigner,
  type QueryHashJwtOptions,
  queryHashJwt,
  sha512Hex,
  signedQuery,
} from './signing.js';
export type {
  BudgetCharge,
  RequestSigner,
  RestExchangeHooks,
  RestMethod,
  RestRequest,
  RestResponse,
  SignedParts,
  UnsignedRequest,
} from './types.js';
