import { okSchema } from '@sabor/contracts';
import { describe, expect, it, vi } from 'vitest';
import { apiTestEvent, jsonResponse } from './api-test-event';
import { api, apiRequest } from './api';

describe('apiRequest', () => {
  it('sends JSON and returns the parsed answer', async () => {
    const event = apiTestEvent(() => jsonResponse(200, { ok: true }));
    const result = await apiRequest(event, 'POST', '/api/auth/logout', okSchema, { body: {} });
    expect(result).toEqual({ ok: true, status: 200, data: { ok: true } });
    const [url, init] = event.calls[0] ?? [];
    expect(url).toBe('/api/auth/logout');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{}');
  });

  it('drops empty query values', async () => {
    const event = apiTestEvent(() =>
      jsonResponse(200, { items: [], page: 1, pageSize: 20, total: 0 }),
    );
    await api.users(event, { query: { q: '', role: 'admin', page: 2 } });
    expect(event.calls[0]?.[0]).toBe('/api/admin/users?role=admin&page=2');
  });

  it('returns the API error with its field messages and Retry-After', async () => {
    const error = {
      error: {
        code: 'too_many_requests',
        message: 'Too many attempts.',
        fields: { email: { code: 'invalid', message: 'Invalid value.' } },
      },
    };
    const event = apiTestEvent(() => jsonResponse(429, error, { 'retry-after': '120' }));
    const result = await api.login(event, { body: { email: 'a@b.bg', password: 'x' } });
    expect(result).toEqual({ ok: false, status: 429, error: error.error, retryAfter: 120 });
  });

  it('keeps an error answer that says more than the error, for the caller to parse', async () => {
    const answer = {
      error: { code: 'ticket_already_used', message: 'Already used.' },
      attendee: { name: 'Гергана', status: 'confirmed', checkedInAt: '2026-12-19T08:00:00.000Z' },
    };
    const event = apiTestEvent(() => jsonResponse(409, answer));
    const eventId = '00000000-0000-4000-8000-000000000001';
    const result = await api.checkIn(event, { params: { id: eventId }, body: { code: 'ABCD' } });
    expect(result).toEqual({ ok: false, status: 409, error: answer.error, body: answer });
    expect(event.calls[0]?.[0]).toBe(`/api/admin/events/${eventId}/check-in`);
    expect(event.calls[0]?.[1].body).toBe('{"code":"ABCD"}');
  });

  it('turns an unreachable API into a translated 503', async () => {
    const event = apiTestEvent(() => Promise.reject(new TypeError('fetch failed')));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await api.site(event);
    expect(result).toMatchObject({
      ok: false,
      status: 503,
      error: { code: 'service_unavailable', message: 'The service is temporarily unavailable.' },
    });
  });

  it('refuses an answer that breaks the contract', async () => {
    const event = apiTestEvent(() => jsonResponse(200, { user: { id: 'not-a-uuid' } }));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await api.session(event);
    expect(result).toMatchObject({ ok: false, status: 502, error: { code: 'internal_error' } });
  });

  it('falls back to a code for the status when the error body is not JSON', async () => {
    const event = apiTestEvent(() => new Response('Forbidden', { status: 403 }));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await api.users(event, { query: {} });
    expect(result).toMatchObject({ ok: false, status: 403, error: { code: 'forbidden' } });
  });

  it('passes cookies the API sets on to the browser', async () => {
    const response = jsonResponse(200, { ok: true });
    response.headers.append(
      'set-cookie',
      'sabor_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
    );
    const event = apiTestEvent(() => response);
    await api.logout(event);
    expect(event.cookies.delete).toHaveBeenCalledWith(
      'sabor_session',
      expect.objectContaining({ path: '/', httpOnly: true }),
    );
  });
});
