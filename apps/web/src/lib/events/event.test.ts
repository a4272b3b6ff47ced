import { describe, expect, it } from 'vitest';
import { eventTimeRange, normalizeTicketCode, pick, seatState, sofiaTime } from './event';

describe('pick', () => {
  it('gives the English text in English when there is one, otherwise the Bulgarian', () => {
    expect(pick('Форум', 'Forum', 'en')).toEqual({ text: 'Forum', lang: 'en' });
    expect(pick('Форум', null, 'en')).toEqual({ text: 'Форум', lang: 'bg' });
    expect(pick('Форум', 'Forum', 'bg')).toEqual({ text: 'Форум', lang: 'bg' });
  });
});

describe('eventTimeRange', () => {
  it('shows a one-day event once with both times, in Sofia summer time', () => {
    // 07:00Z is 10:00 in Sofia in June (UTC+3).
    const text = eventTimeRange('2026-06-12T07:00:00Z', '2026-06-12T14:30:00Z', 'en');
    expect(text).toBe('12 June 2026 at 10:00 – 17:30');
  });

  it('uses winter time and shows both dates when it spans days', () => {
    const text = eventTimeRange('2026-12-01T08:00:00Z', '2026-12-02T15:00:00Z', 'bg');
    expect(text).toContain('1 декември 2026');
    expect(text).toContain('10:00');
    expect(text).toContain('2 декември 2026');
    expect(text).toContain('17:00');
  });

  it('treats 23:30 Sofia time as the same day even though it is another day in UTC', () => {
    const text = eventTimeRange('2026-06-12T17:00:00Z', '2026-06-12T20:30:00Z', 'en');
    expect(text).toBe('12 June 2026 at 20:00 – 23:30');
  });
});

describe('sofiaTime', () => {
  it('is the wall-clock time in Sofia', () => {
    expect(sofiaTime('2026-01-15T08:30:00Z', 'en')).toBe('10:30');
  });
});

describe('seatState', () => {
  it('tells unlimited, seats left and full apart', () => {
    expect(seatState(null, 0)).toEqual({ kind: 'unlimited' });
    expect(seatState(12, 0)).toEqual({ kind: 'left', count: 12 });
    expect(seatState(0, 3)).toEqual({ kind: 'full', waitlisted: 3 });
  });

  it('calls an over-full event (capacity lowered) full', () => {
    expect(seatState(-2, 0)).toEqual({ kind: 'full', waitlisted: 0 });
  });
});

describe('normalizeTicketCode', () => {
  it('groups a typed code by four in upper case', () => {
    expect(normalizeTicketCode('abcd efgh-ijkl mnop')).toBe('ABCD-EFGH-IJKL-MNOP');
    expect(normalizeTicketCode('  ')).toBe('');
  });
});
