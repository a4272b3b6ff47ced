import { describe, expect, it } from 'vitest';
import { errorBodySchema, retryAtMessage } from './errors';

describe('retryAtMessage', () => {
  // 12:23:10 UTC is 14:23:10 in Sofia in winter.
  const now = new Date('2026-12-07T12:23:10Z');

  it('names the time in Sofia and the wait, rounded up to whole minutes', () => {
    const retryAt = new Date('2026-12-07T12:35:00Z');
    expect(retryAtMessage(retryAt, 'bg', now)).toBe(
      'Можете да публикувате отново в 14:35 (след 12 минути).',
    );
    expect(retryAtMessage(retryAt, 'en', now)).toBe('You can post again at 14:35 (in 12 minutes).');
  });

  it('names the date when it is not today in Sofia, and long waits in hours', () => {
    const retryAt = new Date('2026-12-08T09:00:00Z');
    expect(retryAtMessage(retryAt, 'bg', now)).toBe(
      'Можете да публикувате отново на 8 декември в 11:00 (след 21 часа).',
    );
    expect(retryAtMessage(retryAt, 'en', now)).toBe(
      'You can post again on 8 December at 11:00 (in 21 hours).',
    );
  });

  it('is carried in the error body as an ISO time', () => {
    const body = {
      error: { code: 'comment_rate_limited', message: '…', retryAt: now.toISOString() },
    };
    expect(errorBodySchema.parse(body).error.retryAt).toBe(now.toISOString());
    expect(errorBodySchema.safeParse({ error: { ...body.error, retryAt: 'soon' } }).success).toBe(
      false,
    );
  });
});
