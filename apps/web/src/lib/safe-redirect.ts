const base = 'http://sabor.invalid';

/**
 * A path on this site to redirect to after a form, or `fallback`. Refuses absolute URLs,
 * protocol-relative (`//host`) and backslash tricks, so `next=` cannot send people elsewhere. The
 * normalised result is checked as well as the input: dot segments collapse (`/.//evil`,
 * `/%2e//evil` and `/a/..//evil` all become `//evil`).
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
    const path = `${url.pathname}${url.search}${url.hash}`;
    return isSitePath(path) ? path : fallback;
  } catch {
    return fallback;
  }
}

/** One leading slash, no backslash, and a browser resolving it stays on this site. */
function isSitePath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return false;
  const resolved = new URL(path, base);
  return (
    resolved.origin === base && `${resolved.pathname}${resolved.search}${resolved.hash}` === path
  );
}
