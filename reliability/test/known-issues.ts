/**
 * Cases that reproduce a bug the matrix found, with the failure they must show until it is fixed.
 * Keyed `<scenario id>/<exchange>/<provider>`. RELIABILITY.md lists each with its cause and fix.
 */
interface KnownIssue {
  readonly reason: string;
  readonly failure: RegExp;
}

export const KNOWN_ISSUES: Record<string, KnownIssue> = {};
