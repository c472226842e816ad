/**
 * JSON for a `<script type="application/json">` block: non-finite numbers become null, and `<`, `>`, `&`
 * and the two JavaScript line terminators are written as \u escapes, so no `</script` or `<!--` in the data
 * can end or confuse the block. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'number' && !Number.isFinite(item) ? null : item,
  ).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
