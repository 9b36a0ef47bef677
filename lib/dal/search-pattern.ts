import { sql, type SQL } from 'drizzle-orm';
import { searchWords } from '@/lib/domain/kpi-filter';

/** A contains-search for ILIKE: `%` and `_` (and `\`) are literal in what was typed, not wildcards. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The explorer's word search (searchWords of lib/domain/kpi-filter) as a SQL condition on
 * `haystack`: every word of `text` is in it, any case (`strpos`, so nothing typed is a
 * wildcard); true for a text without words.
 */
export function allWordsInSql(haystack: SQL, text: string | undefined): SQL {
  const words = searchWords(text ?? '');
  if (words.length === 0) return sql`true`;
  return sql.join(
    words.map((word) => sql`strpos(lower(${haystack}), ${word}) > 0`),
    sql` and `,
  );
}
