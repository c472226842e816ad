const LEVEL_NAMES: Readonly<Record<number, string>> = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const WARN = 40;
const NOT_SHOWN = new Set(['level', 'time', 'app', 'msg', 'pid', 'hostname']);

/** pino's numeric level at the start of a line, without parsing the rest. */
export function levelOf(jsonLine: string): number | undefined {
  const match = /^\{"level":(\d+)/.exec(jsonLine);
  return match ? Number(match[1]) : undefined;
}

/**
 * A warning or error log line as one line of text for a terminal, e.g.
 * `13:02:11 WARN  signal received: stopping and summarising (signal=SIGINT)`; undefined for lower
 * levels, which only go to the log file.
 */
export function formatLogLine(jsonLine: string): string | undefined {
  const level = levelOf(jsonLine);
  if (level === undefined || level < WARN) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return `${jsonLine.trimEnd()}\n`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '--:--:--';
  const fields = Object.entries(entry)
    .filter(([key]) => !NOT_SHOWN.has(key))
    .map(([key, value]) => `${key}=${describe(value)}`);
  const name = (LEVEL_NAMES[level] ?? `L${level}`).padEnd(5);
  return `${time} ${name} ${String(entry.msg ?? '')}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}\n`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && 'message' in value) return String(value.message);
  return JSON.stringify(value);
}
