export {
  ascii,
  bytesEqual,
  bytesEqualText,
  latin1,
  matchLiteral,
  skipPlainString,
  skipSpace,
} from './bytes.js';
export * as charCodes from './char-codes.js';
export {
  DECIMAL_PATTERN,
  exactDecimal,
  parseDecimal,
  parseDecimalString,
  readJsonNumber,
} from './decimal.js';
export { InternedStrings } from './interned-strings.js';
export { MAX_SKIP_NESTING, skipJsonValue } from './json-skip.js';
export { levelsWithin, scanLevels } from './level-array.js';
