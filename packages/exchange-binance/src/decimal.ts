// Kept only for the package index; the parsers import these from the kit.
export { parseDecimal, parseDecimalString } from '@arbitrage/exchange-kit';
