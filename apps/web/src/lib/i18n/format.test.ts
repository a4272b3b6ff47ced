import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format';

describe('formatDateTime', () => {
  it('shows times in Sofia time, whatever the server time zone', () => {
    // 22:30 UTC on 31 December is 00:30 on 1 January in Sofia (UTC+2 in winter).
    const text = formatDateTime('2025-12-31T22:30:00Z', 'en');
    expect(text).toContain('2026');
    expect(text).toContain('00:30');
  });

  it('formats Bulgarian dates with Bulgarian month names', () => {
    expect(formatDateTime('2026-07-15T09:00:00Z', 'bg')).toContain('12:00');
    expect(formatDateTime('2026-07-15T09:00:00Z', 'bg')).toMatch(/юли/);
  });
});
