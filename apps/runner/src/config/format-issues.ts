import { RETIRED_ENGINE_FIELDS } from '@arbitrage/engine';
import type { z } from 'zod';
import { envVariableFor } from './env-overrides.js';
import { suggestKey } from './key-suggestion.js';
import { isPlainObject } from './merge.js';

/** Where each config path's value came from: 'config file x.yaml', 'environment variable ARB_…', 'flag --…'. */
export type Origins = ReadonlyMap<string, string>;

/** One line per problem: the field, what is wrong, the value given and where it came from. */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  origins: Origins,
  root: Readonly<Record<string, unknown>>,
): string {
  const lines = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `  ${unknownKeyLine(issue.path, key, origins, root)}`)
      : [
          `  ${formatPath(issue.path)}: ${issue.message}${given(issue, root)}${originOf(issue.path, origins)}`,
        ],
  );
  return `invalid configuration:\n${lines.join('\n')}`;
}

/**
 * `ARB_ENTRY_TRESHOLD is not a setting; did you mean ARB_ENGINE__ENTRY__MIN_EXPECTED_PROFIT?`, or for a
 * file `entryTreshold (config file x.yaml) is not a setting; did you mean engine.entry.minExpectedProfit?`.
 */
function unknownKeyLine(
  parent: readonly PropertyKey[],
  key: string,
  origins: Origins,
  root: Readonly<Record<string, unknown>>,
): string {
  const path = [...parent, key];
  const { origin, below } = originWithin(path, origins);
  const variable = origin?.startsWith(ENV_ORIGIN) ? origin.slice(ENV_ORIGIN.length) : undefined;
  const subject = variable ?? `${formatPath(path)}${origin === undefined ? '' : ` (${origin})`}`;
  const suggestion = suggestKey(parent, key);
  if (!suggestion) return `${subject} is not a setting`;
  // A variable sets a leaf: ARB_RUNER__LOG_LEVEL means ARB_RUNNER__LOG_LEVEL, not ARB_RUNNER.
  const target =
    variable === undefined ? suggestion.path.join('.') : envVariableFor([...suggestion.path, ...below]);
  if (suggestion.replaces === undefined) return `${subject} is not a setting; did you mean ${target}?`;
  const negative = suggestion.replaces === 'entryThreshold' && isNegative(valueAt(root, path));
  return (
    `${subject} is not a setting: ${retiredName(suggestion.replaces, key)} is no longer read; use ${target}` +
    ` (${retiredNote(suggestion.replaces)})` +
    (negative ? ', at least 0: a negative entry threshold opens pairs at a loss' : '')
  );
}

const ENV_ORIGIN = 'environment variable ';

function retiredName(field: string, key: string): string {
  return field === key ? `engine.${field}` : `engine.${field}, which it resembles,`;
}

function retiredNote(field: string): string {
  return /\((.*)\)$/.exec(RETIRED_ENGINE_FIELDS[field] ?? '')?.[1] ?? 'its replacement';
}

function isNegative(value: unknown): boolean {
  return typeof value === 'number' && value < 0;
}

function valueAt(root: Readonly<Record<string, unknown>>, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (!isPlainObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment as string];
  }
  return node;
}

/** ` (given -0.01)` for a bad scalar: the message alone does not say which value was read. */
function given(issue: z.core.$ZodIssue, root: Readonly<Record<string, unknown>>): string {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return '';
  const value = valueAt(root, issue.path);
  return typeof value === 'number' ? ` (given ${value})` : '';
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

function originAt(path: readonly PropertyKey[], origins: Origins): string | undefined {
  const keys = path.map(String);
  for (let length = keys.length; length > 0; length--) {
    const origin = origins.get(keys.slice(0, length).join('.'));
    if (origin) return origin;
  }
  return undefined;
}

/** The origin of `path` or, for a key only set through a deeper path, of that path and what lies below. */
function originWithin(
  path: readonly PropertyKey[],
  origins: Origins,
): { origin: string | undefined; below: string[] } {
  const own = originAt(path, origins);
  if (own !== undefined) return { origin: own, below: [] };
  const prefix = `${path.map(String).join('.')}.`;
  for (const [key, origin] of origins) {
    if (key.startsWith(prefix)) return { origin, below: key.slice(prefix.length).split('.') };
  }
  return { origin: undefined, below: [] };
}

function originOf(path: readonly PropertyKey[], origins: Origins): string {
  const origin = originAt(path, origins);
  return origin === undefined ? '' : ` [from ${origin}]`;
}
