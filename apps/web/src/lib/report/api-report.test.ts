import { describe, expect, it } from 'vitest';
import { apiTestEvent, jsonResponse } from '$lib/server/api-test-event';
import { api } from '$lib/server/api';
import { reportOutcome } from './report-outcome.server';

const consultationId = '0e366394-736f-46e8-afb6-f486ab6e568e';
const commentId = '6f1c1f1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f';
const totals = {
  proposals: 1,
  withdrawn: 0,
  hidden: 0,
  byDecision: {
    accepted: 1,
    partly_accepted: 0,
    not_accepted: 0,
    under_review: 0,
    received: 0,
    none: 0,
  },
  byStance: { for: 1, against: 0, neutral: 0, none: 0 },
  participants: 2,
};
const report = {
  consultation: {
    id: consultationId,
    titleBg: 'Стратегия',
    titleEn: null,
    responsibleUnit: 'Дирекция',
    opensAt: '2026-09-01T06:00:00.000Z',
    closesAt: '2026-10-01T06:00:00.000Z',
    closedReason: null,
  },
  summary: { source: 'Обобщение', html: '<p>Обобщение</p>' },
  publishedAt: '2026-10-10T06:00:00.000Z',
  totals,
  proposals: [
    {
      commentId,
      number: 1,
      authorName: null,
      createdAt: '2026-09-02T06:00:00.000Z',
      body: 'Предложение',
      stance: 'for',
      supportCount: 0,
      versionNumber: 1,
      decision: 'accepted',
      reason: 'Мотиви',
    },
  ],
};

describe('report calls', () => {
  it('respond to a proposal with PUT on the staff route', async () => {
    const event = apiTestEvent(() =>
      jsonResponse(200, {
        commentId,
        decision: 'accepted',
        reason: 'Мотиви',
        createdAt: '2026-09-03T06:00:00.000Z',
        updatedAt: '2026-09-03T06:00:00.000Z',
      }),
    );
    const result = await api.respondToProposal(event, {
      params: { id: commentId },
      body: { decision: 'accepted', reason: 'Мотиви' },
    });
    expect(result).toMatchObject({ ok: true, data: { decision: 'accepted' } });
    const [url, init] = event.calls[0] ?? [];
    expect(`${init?.method} ${url}`).toBe(`PUT /api/admin/comments/${commentId}/response`);
    expect(JSON.parse(init?.body as string)).toEqual({ decision: 'accepted', reason: 'Мотиви' });
  });

  it('publish with the form’s Idempotency-Key', async () => {
    const event = apiTestEvent(() => jsonResponse(201, report));
    const result = await api.publishReport(event, {
      params: { id: consultationId },
      body: { summary: 'Обобщение' },
      idempotencyKey: 'k-1',
    });
    expect(result).toMatchObject({ ok: true, status: 201 });
    const [url, init] = event.calls[0] ?? [];
    expect(`${init?.method} ${url}`).toBe(`POST /api/admin/consultations/${consultationId}/report`);
    expect((init?.headers as Record<string, string>)['idempotency-key']).toBe('k-1');
  });

  it('read a page of the thread, oldest first, from a cursor', async () => {
    const event = apiTestEvent(() =>
      jsonResponse(200, { items: [], nextCursor: null, total: 0, lastEventId: 0 }),
    );
    await api.comments(event, {
      params: { id: consultationId },
      query: { order: 'oldest', cursor: 'abc_-', limit: 20 },
    });
    expect(event.calls[0]?.[0]).toBe(
      `/api/consultations/${consultationId}/comments?order=oldest&cursor=abc_-&limit=20`,
    );
  });

  it('refuse a report that breaks the contract rather than show it', async () => {
    const event = apiTestEvent(() =>
      jsonResponse(200, { ...report, totals: { proposals: 'many' } }),
    );
    const result = await api.consultationReport(event, { params: { id: consultationId } });
    expect(result).toMatchObject({ ok: false, status: 502 });
  });
});

describe('the outcome on the consultation page', () => {
  it('is read only once the report is published', async () => {
    const event = apiTestEvent(() => jsonResponse(200, report));
    expect(await reportOutcome(event, { id: consultationId, state: 'closed' })).toBeNull();
    expect(event.calls).toHaveLength(0);
    expect(await reportOutcome(event, { id: consultationId, state: 'report_published' })).toEqual({
      totals,
      publishedAt: report.publishedAt,
    });
    expect(event.calls[0]?.[0]).toBe(`/api/consultations/${consultationId}/report`);
  });

  it('leaves the page without it when the report cannot be read', async () => {
    const event = apiTestEvent(() =>
      jsonResponse(404, { error: { code: 'not_found', message: 'x' } }),
    );
    expect(
      await reportOutcome(event, { id: consultationId, state: 'report_published' }),
    ).toBeNull();
  });
});
