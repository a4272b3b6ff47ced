/** A `?page=` value as a page number: 1 for anything that is not a positive whole number. */
export function pageNumber(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}

/** C0/C1 control characters other than tab, line feed and carriage return (the API refuses them). */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** A search text from the query string: without control characters, trimmed, within the API's limit. */
export function searchText(value: string | null, max = 200): string {
  return (value ?? '').replace(controlCharacters, '').trim().slice(0, max);
}
