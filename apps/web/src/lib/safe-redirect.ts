const base = 'http://sabor.invalid';

/**
 * A path on this site to redirect to after a form, or `fallback`. Refuses absolute URLs,
 * protocol-relative (`//host`) and backslash tricks, so `next=` cannot send people elsewhere.
 */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//'))
    return fallback;
  // Browsers treat "\" like "/" and drop tabs and newlines, which would turn "/\evil" into "//evil".
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  try {
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
