const ZEROS = '0000000000000000000000000000';

/**
 * Writes a non-negative safe integer `value` scaled by 10^-decimals as an exact decimal string with
 * exactly `decimals` fraction digits: formatScaled(1234, 2) === '12.34'. No floating point involved.
 */
export function formatScaled(value: number, decimals: number): string {
  const digits = String(value);
  if (decimals === 0) return digits;
  const padded = digits.length <= decimals ? ZEROS.slice(0, decimals + 1 - digits.length) + digits : digits;
  const cut = padded.length - decimals;
  return `${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** Like formatScaled, then padded with zeros to `width` fraction digits (Binance writes 8). */
export function formatPadded(value: number, decimals: number, width: number): string {
  const text = formatScaled(value, decimals);
  if (width <= decimals) return text;
  return decimals === 0 ? `${text}.${ZEROS.slice(0, width)}` : text + ZEROS.slice(0, width - decimals);
}

/** Like formatScaled without trailing fraction zeros: a valid JSON number literal (Upbit style). */
export function formatTrimmed(value: number, decimals: number): string {
  const text = formatScaled(value, decimals);
  if (decimals === 0) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/** The number a client gets by parsing the decimal: identical to JSON.parse of the same text. */
export function scaledToNumber(value: number, decimals: number): number {
  return Number(formatScaled(value, decimals));
}

/** Number of fraction digits needed to write `step` (a power-of-ten fraction or a multiple of one). */
export function decimalsOf(step: number): number {
  for (let decimals = 0; decimals <= 12; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return decimals;
  }
  return 12;
}
