import { describe, expect, it } from 'vitest';
import { auditFilters } from './audit-filters';

describe('audit filters from the query string', () => {
  it('pass on valid values and keep what was typed', () => {
    const actor = '0e366394-736f-46e8-afb6-f486ab6e568e';
    const filters = auditFilters(
      new URLSearchParams({ actorId: actor, action: 'moderation.', from: '2026-11-01', page: '3' }),
    );
    expect(filters.valid).toEqual({ actorId: actor, action: 'moderation.', from: '2026-11-01' });
    expect(filters.invalid).toEqual([]);
    expect(filters.page).toBe(3);
  });

  it('pass on a part of the actor’s name to search for', () => {
    expect(auditFilters(new URLSearchParams({ actor: '  мария ' })).valid).toEqual({
      actor: 'мария',
    });
  });

  it('leave out and name the values the API would refuse, hostile ones included', () => {
    const filters = auditFilters(
      new URLSearchParams({
        actorId: "1' OR '1'='1",
        action: '<script>alert(1)</script>',
        targetType: 'user',
        to: '2026-13-45',
        page: '-1',
      }),
    );
    expect(filters.valid).toEqual({ targetType: 'user' });
    expect(filters.invalid).toEqual(['actorId', 'action', 'to']);
    expect(filters.typed.action).toBe('<script>alert(1)</script>');
    expect(filters.page).toBe(1);
  });

  it('leave out an end date before the start date', () => {
    const filters = auditFilters(new URLSearchParams({ from: '2026-11-20', to: '2026-11-19' }));
    expect(filters.valid).toEqual({ from: '2026-11-20' });
    expect(filters.invalid).toEqual(['to']);
    // One day is a period too.
    expect(
      auditFilters(new URLSearchParams({ from: '2026-11-20', to: '2026-11-20' })).invalid,
    ).toEqual([]);
  });

  it('drop control characters and ignore empty fields', () => {
    const filters = auditFilters(
      new URLSearchParams({ action: 'user.warned\u0000', targetId: '' }),
    );
    expect(filters.valid).toEqual({ action: 'user.warned' });
    expect(filters.typed.targetId).toBe('');
  });
});
