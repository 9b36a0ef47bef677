/** A contains-search for ILIKE: `%` and `_` (and `\`) are literal in what was typed, not wildcards. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
