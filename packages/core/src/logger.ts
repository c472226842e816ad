/**
 * The structured-logging surface libraries write to. It is the subset of pino's API that they use,
 * so a pino logger can be passed as it is; libraries never import pino themselves.
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  child(bindings: object): Logger;
}

const noop = (): void => {};

export const noopLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => noopLogger,
};
