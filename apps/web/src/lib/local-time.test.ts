import { describe, expect, it } from 'vitest';
import { isoToSofiaLocal, sofiaLocalToIso, sofiaOffsetMinutes } from './local-time';

describe('sofiaLocalToIso', () => {
  it('uses +02:00 in winter and +03:00 in summer, from the date itself', () => {
    expect(sofiaLocalToIso('2026-01-15T10:00')).toBe('2026-01-15T10:00:00+02:00');
    expect(sofiaLocalToIso('2026-07-15T10:00')).toBe('2026-07-15T10:00:00+03:00');
    expect(sofiaLocalToIso('2026-07-15T23:59:30')).toBe('2026-07-15T23:59:30+03:00');
  });

  it('gives the instant the person meant, on both sides of a clock change', () => {
    // 2026: summer time from 29 March 03:00 to 25 October 04:00 (Sofia).
    expect(new Date(sofiaLocalToIso('2026-03-29T02:59')!).toISOString()).toBe(
      '2026-03-29T00:59:00.000Z',
    );
    expect(new Date(sofiaLocalToIso('2026-03-29T04:00')!).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(new Date(sofiaLocalToIso('2026-10-25T05:00')!).toISOString()).toBe(
      '2026-10-25T03:00:00.000Z',
    );
  });

  it('reads a skipped time with the old offset and a repeated time as the first one', () => {
    expect(sofiaLocalToIso('2026-03-29T03:30')).toBe('2026-03-29T03:30:00+02:00');
    expect(sofiaLocalToIso('2026-10-25T03:30')).toBe('2026-10-25T03:30:00+03:00');
  });

  it('refuses what is not a date and time', () => {
    for (const value of [
      '',
      'tomorrow',
      '2026-02-30T10:00',
      '2026-01-01T24:00',
      '2026-01-01',
      '2026-01-01T10:00+02:00',
    ]) {
      expect(sofiaLocalToIso(value), value).toBeNull();
    }
  });
});

describe('isoToSofiaLocal', () => {
  it('shows an instant as Sofia wall-clock time for a datetime-local input', () => {
    expect(isoToSofiaLocal('2026-01-15T08:00:00.000Z')).toBe('2026-01-15T10:00');
    expect(isoToSofiaLocal('2026-07-15T21:30:00Z')).toBe('2026-07-16T00:30');
    expect(isoToSofiaLocal('not a date')).toBe('');
  });

  it('round-trips with sofiaLocalToIso', () => {
    for (const local of ['2026-03-29T04:00', '2026-10-25T02:15', '2027-12-31T23:59']) {
      expect(isoToSofiaLocal(sofiaLocalToIso(local)!)).toBe(local);
    }
  });
});

describe('sofiaOffsetMinutes', () => {
  it('is 120 in winter and 180 in summer', () => {
    expect(sofiaOffsetMinutes(new Date('2026-01-01T00:00:00Z'))).toBe(120);
    expect(sofiaOffsetMinutes(new Date('2026-06-01T00:00:00Z'))).toBe(180);
  });
});
