import { RETIRED_ENGINE_FIELDS } from '@arbitrage/engine';
import { closeEnough, keyDistance } from './key-distance.js';
import { runnerConfigSchema } from './schema.js';
import { keysAt, schemaPaths } from './schema-keys.js';

export interface KeySuggestion {
  /** The full path of the setting meant, e.g. ['engine', 'entry', 'minExpectedProfit']. */
  readonly path: readonly string[];
  /** Set when the key resembles a retired engine field: the field it resembles. */
  readonly replaces?: string;
}

interface Candidate extends KeySuggestion {
  readonly distance: number;
  /** Same level as the unknown key: preferred on a tie. */
  readonly sibling: boolean;
}

const ALL_PATHS = schemaPaths(runnerConfigSchema);

/** Retired engine fields, e.g. entryThreshold → engine.entry.minExpectedProfit. */
const RETIRED_PATHS: readonly { readonly field: string; readonly path: readonly string[] }[] = Object.entries(
  RETIRED_ENGINE_FIELDS,
).map(([field, replacement]) => ({ field, path: ['engine', ...replacement.split(' ')[0]!.split('.')] }));

/**
 * The setting an unknown `key` under `parent` most likely meant: a key of the same level one or two
 * edits away, else any setting of the schema whose own name is that close (a key put at the wrong
 * level), else a retired engine field's replacement. Undefined when nothing is close.
 */
export function suggestKey(parent: readonly PropertyKey[], key: string): KeySuggestion | undefined {
  const parentPath = parent.map(String);
  const candidates: Candidate[] = [];
  const consider = (name: string, path: readonly string[], sibling: boolean, replaces?: string): void => {
    const distance = keyDistance(key, name);
    if (!closeEnough(name, distance)) return;
    candidates.push({ path, distance, sibling, ...(replaces === undefined ? {} : { replaces }) });
  };
  for (const name of keysAt(runnerConfigSchema, parent)) consider(name, [...parentPath, name], true);
  for (const path of ALL_PATHS) consider(path[path.length - 1]!, path, false);
  for (const retired of RETIRED_PATHS) consider(retired.field, retired.path, false, retired.field);
  candidates.sort((a, b) => a.distance - b.distance || Number(b.sibling) - Number(a.sibling));
  const best = candidates[0];
  if (!best) return undefined;
  return best.replaces === undefined ? { path: best.path } : { path: best.path, replaces: best.replaces };
}
