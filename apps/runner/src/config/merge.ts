export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `overlay` onto `base` (objects merge, everything else, arrays included, replaces). An
 * object naming a different `mode` than the one it lands on replaces it whole: the settings of one
 * mode (a rolling reference's window) mean nothing to another (a fixed level).
 */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return overlay === undefined ? base : overlay;
  if ('mode' in overlay && overlay.mode !== base.mode) return overlay;
  const merged: PlainObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) merged[key] = deepMerge(base[key], value);
  return merged;
}

/** Sets `value` at `path` in `target`, creating objects on the way (replacing non-objects). */
export function setPath(target: PlainObject, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const next = node[key];
    if (isPlainObject(next)) node = next;
    else {
      const created: PlainObject = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1]!] = value;
}
