/** "a=1&b=2" from the given values, leaving out empty ones ("" when nothing is left). */
export function queryString(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(
      (entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '',
    )
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}
