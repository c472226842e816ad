/** Cell formatting for the report's tables; '—' where a value is unknown. */
export const DASH = '—';

export function formatKrw(krw: number | undefined): string {
  return krw !== undefined && Number.isFinite(krw)
    ? `${krw.toLocaleString('en-US', { maximumFractionDigits: 0 })} KRW`
    : DASH;
}

export function formatPremium(fraction: number | undefined): string {
  return fraction !== undefined && Number.isFinite(fraction) ? `${(fraction * 100).toFixed(3)} %` : DASH;
}

/** `2026-12-06 08:42:26` in UTC. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return DASH;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatValue(value: string | number): string {
  if (typeof value === 'string') return value;
  return Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 6 }) : DASH;
}
