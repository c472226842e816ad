/** The only place credentials come from: these environment variables, never config or flags. */
export const CREDENTIAL_VARIABLES = [
  'UPBIT_ACCESS_KEY',
  'UPBIT_SECRET_KEY',
  'BINANCE_API_KEY',
  'BINANCE_API_SECRET',
] as const;

export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not scrubbed by value (replacing "a" everywhere would ruin logs). */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of the credential values, raw or as JSON escapes them, in any text that
 * leaves the process: log lines (messages, fields, error messages, stacks, causes), status lines,
 * summaries and fatal errors.
 */
export class SecretScrubber {
  private readonly needles: readonly string[];

  constructor(secrets: readonly string[]) {
    const needles = new Set<string>();
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      needles.add(secret);
      needles.add(JSON.stringify(secret).slice(1, -1));
    }
    // Longest first, so a secret containing another is replaced whole.
    this.needles = [...needles].sort((a, b) => b.length - a.length);
  }

  static fromEnv(env: Readonly<Record<string, string | undefined>>): SecretScrubber {
    const values: string[] = [];
    for (const variable of CREDENTIAL_VARIABLES) {
      const value = env[variable]?.trim();
      if (value) values.push(value);
    }
    return new SecretScrubber(values);
  }

  get active(): boolean {
    return this.needles.length > 0;
  }

  scrub(text: string): string {
    let result = text;
    for (const needle of this.needles) {
      if (result.includes(needle)) result = result.split(needle).join(REDACTED);
    }
    return result;
  }
}

/** Key paths pino censors whatever their value (field names that hold credentials). */
export const REDACT_PATHS: readonly string[] = [
  ...CREDENTIAL_VARIABLES,
  ...CREDENTIAL_VARIABLES.map((variable) => `*.${variable}`),
  ...['apiKey', 'apiSecret', 'secretKey', 'accessKey', 'secret', 'credentials', 'authorization'].flatMap(
    (key) => [key, `*.${key}`],
  ),
  'headers.authorization',
  'headers.Authorization',
  'headers["X-MBX-APIKEY"]',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers["X-MBX-APIKEY"]',
  'config.headers.Authorization',
  'config.headers["X-MBX-APIKEY"]',
  'err.config.headers.Authorization',
  'err.config.headers["X-MBX-APIKEY"]',
];
