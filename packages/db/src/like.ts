/**
 * A LIKE/ILIKE pattern matching `text` anywhere, with `%`, `_` and `\` taken literally (backslash is
 * PostgreSQL's default escape), so a search for "50%" finds "50%".
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
