import { describe, expect, it } from 'vitest';
import { apiTestEvent, jsonResponse } from '$lib/server/api-test-event';
import { api } from '$lib/server/api';

const documentId = '6f1c1f1e-3b2a-4c5d-8e9f-0a1b2c3d4e5f';
const consultationId = '0e366394-736f-46e8-afb6-f486ab6e568e';
const storedDocument = {
  id: documentId,
  consultationId,
  title: 'Проект',
  fileName: 'проект.pdf',
  contentType: 'application/pdf',
  size: 12,
  sha256: 'a'.repeat(64),
  createdAt: '2026-11-28T07:00:00.000Z',
};

describe('consultation calls', () => {
  it('search with the filters given and none of the empty ones', async () => {
    const event = apiTestEvent(
      () => jsonResponse(200, { items: [], page: 1, pageSize: 10, total: 0 }),
      'bg',
    );
    await api.consultations(event, {
      query: { state: 'open', q: 'липа', category: undefined, page: 2 },
    });
    expect(event.calls[0]?.[0]).toBe(
      '/api/consultations?state=open&q=%D0%BB%D0%B8%D0%BF%D0%B0&page=2',
    );
  });

  it('send the form’s Idempotency-Key with a create', async () => {
    const event = apiTestEvent(
      () => jsonResponse(400, { error: { code: 'validation_failed', message: 'x' } }),
      'bg',
    );
    await api.createConsultation(event, {
      body: {
        titleBg: 'Т',
        summary: 'С',
        body: 'Б',
        category: 'plan',
        responsibleUnit: 'Д',
        contactEmail: 'a@example.bg',
        opensAt: '2026-12-01T09:00:00+02:00',
        closesAt: '2027-01-01T09:00:00+02:00',
      },
      idempotencyKey: 'key-123',
    });
    const headers = event.calls[0]?.[1].headers as Record<string, string>;
    expect(headers['idempotency-key']).toBe('key-123');
    expect(headers['content-type']).toBe('application/json');
  });

  it('upload a document as multipart form data, letting fetch write the boundary', async () => {
    const event = apiTestEvent(() => jsonResponse(201, storedDocument), 'bg');
    const file = new File(['%PDF-1.4\n%%EOF\n'], 'проект.pdf', { type: 'application/pdf' });
    const form = new FormData();
    form.set('title', 'Проект');
    form.set('file', file, file.name);
    const result = await api.uploadDocument(event, { params: { id: consultationId }, form });
    expect(result).toMatchObject({ ok: true, status: 201, data: { id: documentId } });
    const [url, init] = event.calls[0] ?? [];
    expect(url).toBe(`/api/admin/consultations/${consultationId}/documents`);
    expect(init?.method).toBe('POST');
    const body = init?.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    expect(body.get('title')).toBe('Проект');
    expect((body.get('file') as File).name).toBe('проект.pdf');
    expect(init?.headers).not.toHaveProperty('content-type');
    expect(init?.headers).not.toHaveProperty('idempotency-key');
  });

  it('follow with PUT and stop with DELETE', async () => {
    const event = apiTestEvent(
      (_, init) => jsonResponse(200, { following: init.method === 'PUT' }),
      'bg',
    );
    expect(await api.follow(event, { params: { id: consultationId } })).toMatchObject({
      data: { following: true },
    });
    expect(await api.unfollow(event, { params: { id: consultationId } })).toMatchObject({
      data: { following: false },
    });
    expect(event.calls.map(([url, init]) => `${init.method} ${url}`)).toEqual([
      `PUT /api/consultations/${consultationId}/follow`,
      `DELETE /api/consultations/${consultationId}/follow`,
    ]);
  });

  it('escape ids in paths', async () => {
    const event = apiTestEvent(
      () => jsonResponse(404, { error: { code: 'not_found', message: 'x' } }),
      'bg',
    );
    await api.deleteDocument(event, { params: { id: '../users/1' } });
    expect(event.calls[0]?.[0]).toBe('/api/admin/documents/..%2Fusers%2F1');
  });
});
