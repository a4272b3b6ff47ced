import { createHash, randomBytes } from 'node:crypto';
import type {
  Consultation,
  ConsultationDocument,
  ConsultationDocumentList,
} from '@sabor/contracts';
import { auditLog, consultationDocuments, consultations } from '@sabor/db';
import { and, eq, sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, pdf, type Part } from '../../../test/files';
import {
  closeConsultation,
  draftConsultation,
  openConsultation,
  publishConsultation,
} from '../../../test/fixtures';
import {
  type Account,
  buildTestApp,
  signUpEveryRole,
  strandIdempotencyKey,
  type TestApp,
} from '../../../test/helper';
import { sanitizeFileName } from './upload';

const maxBytes = 100_000;

let t: TestApp;
let admin: Account;
let moderator: Account;
let resident: Account;

beforeAll(async () => {
  t = await buildTestApp({ DOCUMENT_MAX_BYTES: String(maxBytes) });
  ({ admin, moderator, resident } = await signUpEveryRole(t));
});
afterAll(async () => {
  await t.close();
});

// --- Files, built here byte by byte -------------------------------------------------------------

const pdfMime = 'application/pdf';
const docxMime = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const odtMime = 'application/vnd.oasis.opendocument.text';

/** A minimal Word document: the three parts a .docx needs. */
function docx(): Buffer {
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
      '_rels/.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
      'word/document.xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Проект на наредба</w:t></w:r></w:p></w:body></w:document>',
      ),
    }),
  );
}

/** A minimal OpenDocument text: `mimetype` first and stored, as the format requires. */
function odt(): Buffer {
  return Buffer.from(
    zipSync({
      mimetype: [strToU8(odtMime), { level: 0 }],
      'content.xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:p>Проект на наредба</text:p></office:text></office:body></office:document-content>',
      ),
      'META-INF/manifest.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="${odtMime}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
      ),
    }),
  );
}

/** A 1×1 PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
/** The start of a Windows executable (DOS stub and PE header). */
const exe = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(64),
  Buffer.from('PE\0\0'),
  Buffer.alloc(200),
]);
/** The start of a Linux executable. */
const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
const zip = Buffer.from(zipSync({ 'readme.txt': strToU8('not a document') }));

// --- Requests ------------------------------------------------------------------------------------

function upload(
  consultationId: string,
  file: { filename: string; data: Uint8Array; contentType?: string } | null,
  options: {
    title?: string;
    cookie?: string;
    headers?: Record<string, string>;
    english?: boolean;
  } = {},
) {
  const parts: Part[] = [{ name: 'title', value: options.title ?? 'Проект на наредба' }];
  if (file) parts.push({ name: 'file', ...file });
  const body = multipart(parts);
  const cookie = 'cookie' in options ? options.cookie : admin.cookie;
  return t.inject({
    method: 'POST',
    url: `/api/admin/consultations/${consultationId}/documents`,
    // The language cookie wins over the signed-in user's language.
    cookie: options.english ? `${cookie}; sabor_locale=en` : cookie,
    payload: body.payload,
    headers: { ...body.headers, ...options.headers },
  });
}

async function uploaded(
  consultationId: string,
  file: { filename: string; data: Uint8Array; contentType?: string },
  title?: string,
): Promise<ConsultationDocument> {
  const response = await upload(consultationId, file, { title });
  if (response.statusCode !== 201) throw new Error(`upload failed: ${response.body}`);
  return response.json();
}

async function consultation(
  state: 'draft' | 'scheduled' | 'open' | 'closed',
  titleBg = 'Наредба с документи',
): Promise<Consultation> {
  const titles = { titleBg, titleEn: 'Regulation with documents' };
  if (state === 'draft') return draftConsultation(t, admin.cookie, titles);
  if (state === 'scheduled') {
    const draft = await draftConsultation(t, admin.cookie, titles);
    return publishConsultation(t, admin.cookie, draft.id);
  }
  const open = await openConsultation(t, admin.cookie, titles);
  if (state === 'open') return open;
  return closeConsultation(t, admin.cookie, open.id, 'Проектът е оттеглен.');
}

async function list(consultationId: string, cookie?: string) {
  return t.inject({ method: 'GET', url: `/api/consultations/${consultationId}/documents`, cookie });
}

async function documentCount(consultationId: string): Promise<number> {
  const rows = await t.app.db
    .select({ id: consultationDocuments.id })
    .from(consultationDocuments)
    .where(eq(consultationDocuments.consultationId, consultationId));
  return rows.length;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

// --- Tests ---------------------------------------------------------------------------------------

describe('authorization', () => {
  it('lets only admins upload: 401 anonymous, 403 resident and moderator', async () => {
    const c = await consultation('open');
    const file = { filename: 'a.pdf', data: pdf() };
    expect((await upload(c.id, file, { cookie: undefined })).statusCode).toBe(401);
    for (const who of [resident, moderator]) {
      const response = await upload(c.id, file, { cookie: who.cookie });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(await documentCount(c.id)).toBe(0);
  });

  it('lets only admins delete: 401 anonymous, 403 resident and moderator', async () => {
    const c = await consultation('draft');
    const document = await uploaded(c.id, { filename: 'a.pdf', data: pdf() });
    const url = `/api/admin/documents/${document.id}`;
    expect((await t.inject({ method: 'DELETE', url })).statusCode).toBe(401);
    for (const who of [resident, moderator]) {
      expect((await t.inject({ method: 'DELETE', url, cookie: who.cookie })).statusCode).toBe(403);
    }
    expect(await documentCount(c.id)).toBe(1);
  });

  it('hides a draft’s documents from everyone but admins', async () => {
    const c = await consultation('draft');
    const document = await uploaded(c.id, { filename: 'a.pdf', data: pdf() });
    for (const cookie of [undefined, resident.cookie, moderator.cookie]) {
      expect((await list(c.id, cookie)).statusCode).toBe(404);
      const download = await t.inject({
        method: 'GET',
        url: `/api/documents/${document.id}`,
        cookie,
      });
      expect(download.statusCode).toBe(404);
    }
    expect((await list(c.id, admin.cookie)).json<ConsultationDocumentList>().items).toHaveLength(1);
    const download = await t.inject({
      method: 'GET',
      url: `/api/documents/${document.id}`,
      cookie: admin.cookie,
    });
    expect(download.statusCode).toBe(200);
    // Never stored by a shared cache, which could hand it to someone else.
    expect(download.headers['cache-control']).toBe('private, no-store');
  });
});

describe('uploading', () => {
  it('stores PDF, DOCX and ODT files with the type read from their bytes, and audits it', async () => {
    const c = await consultation('open');
    const files = [
      { filename: 'Проект.pdf', data: pdf(), mime: pdfMime },
      { filename: 'Мотиви.docx', data: docx(), mime: docxMime },
      { filename: 'Оценка на въздействието.odt', data: odt(), mime: odtMime },
    ];
    for (const [i, file] of files.entries()) {
      // The browser's Content-Type is ignored either way.
      const document = await uploaded(
        c.id,
        { filename: file.filename, data: file.data, contentType: 'application/octet-stream' },
        `Документ ${i + 1}`,
      );
      expect(document).toMatchObject({
        consultationId: c.id,
        title: `Документ ${i + 1}`,
        fileName: file.filename,
        contentType: file.mime,
        size: file.data.length,
        sha256: sha256(file.data),
      });
    }
    const listed = (await list(c.id)).json<ConsultationDocumentList>();
    expect(listed.items.map((d) => d.fileName)).toEqual(files.map((f) => f.filename));
    expect(listed.items[0]).not.toHaveProperty('data');

    const audit = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.id), eq(auditLog.action, 'consultation.document_added')));
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({ actorId: admin.id, targetType: 'consultation' });
  });

  it.each([
    ['a PNG named .pdf', { filename: 'scan.pdf', data: png, contentType: pdfMime }],
    [
      'HTML named .pdf sent as application/pdf',
      { filename: 'x.pdf', data: html, contentType: pdfMime },
    ],
    ['a Windows executable named .docx', { filename: 'setup.docx', data: exe }],
    ['a Linux executable named .odt', { filename: 'run.odt', data: elf }],
    ['a plain zip named .docx', { filename: 'archive.docx', data: zip }],
    ['random bytes', { filename: 'noise.pdf', data: randomBytes(4096) }],
  ])('refuses %s with 415 document_type_not_allowed', async (_what, file) => {
    const c = await consultation('open');
    const response = await upload(c.id, file, { english: true });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({
      error: {
        code: 'document_type_not_allowed',
        message: 'Only PDF, DOCX and ODT documents are accepted.',
      },
    });
    expect(await documentCount(c.id)).toBe(0);
  });

  it('refuses a file over DOCUMENT_MAX_BYTES with 413 and takes one of exactly that size', async () => {
    const c = await consultation('open');
    const tooLarge = await upload(c.id, { filename: 'big.pdf', data: pdf('x', maxBytes + 1) });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({
      error: { code: 'document_too_large', message: 'Документът е твърде голям.' },
    });
    // Far over the limit: the rest of the stream is discarded, not buffered.
    const huge = await upload(c.id, { filename: 'huge.pdf', data: pdf('x', maxBytes * 30) });
    expect(huge.statusCode).toBe(413);
    expect(await documentCount(c.id)).toBe(0);

    const exact = await upload(c.id, { filename: 'exact.pdf', data: pdf('x', maxBytes) });
    expect(exact.statusCode).toBe(201);
    expect(exact.json()).toMatchObject({ size: maxBytes });
  });

  it('refuses empty files, missing parts and bad titles field by field', async () => {
    const c = await consultation('open');
    const empty = await upload(c.id, { filename: 'empty.pdf', data: Buffer.alloc(0) });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { file: { code: 'file_empty' } } },
    });

    const noFile = await upload(c.id, null);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ error: { fields: { file: { code: 'required' } } } });

    for (const [title, code] of [
      ['', 'required'],
      ['я'.repeat(201), 'too_long'],
      ['ред\nнов ред', 'control_characters'],
      ['a\u0000b', 'control_characters'],
    ] as const) {
      const response = await upload(c.id, { filename: 'a.pdf', data: pdf() }, { title });
      expect(response.statusCode, title).toBe(400);
      expect(response.json()).toMatchObject({ error: { fields: { title: { code } } } });
    }

    // A file under another field name is discarded, so the upload has no file.
    const wrongField = multipart([
      { name: 'title', value: 'Заглавие' },
      { name: 'attachment', filename: 'a.pdf', data: pdf() },
    ]);
    const misnamed = await t.inject({
      method: 'POST',
      url: `/api/admin/consultations/${c.id}/documents`,
      cookie: admin.cookie,
      ...wrongField,
    });
    expect(misnamed.statusCode).toBe(400);
    expect(await documentCount(c.id)).toBe(0);
  });

  it('refuses bodies that are not a well-formed multipart upload', async () => {
    const c = await consultation('open');
    const url = `/api/admin/consultations/${c.id}/documents`;
    const json = await t.inject({
      method: 'POST',
      url,
      cookie: admin.cookie,
      payload: { title: 'Заглавие', file: { fileName: 'a.pdf', size: 10, sha256: 'x' } },
    });
    // JSON can never carry a file: validation refuses it like any other body without one.
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { file: { code: 'required' } } },
    });

    const twoFiles = multipart([
      { name: 'title', value: 'Заглавие' },
      { name: 'file', filename: 'a.pdf', data: pdf() },
      { name: 'file', filename: 'b.pdf', data: pdf() },
    ]);
    const two = await t.inject({ method: 'POST', url, cookie: admin.cookie, ...twoFiles });
    expect(two.statusCode).toBe(413);

    const { payload, headers } = multipart([
      { name: 'title', value: 'Заглавие' },
      { name: 'file', filename: 'a.pdf', data: pdf() },
    ]);
    const truncated = await t.inject({
      method: 'POST',
      url,
      cookie: admin.cookie,
      headers,
      payload: payload.subarray(0, payload.length - 40),
    });
    expect(truncated.statusCode).toBe(400);

    const noBoundary = await t.inject({
      method: 'POST',
      url,
      cookie: admin.cookie,
      headers: { 'content-type': 'multipart/form-data' },
      payload: 'garbage',
    });
    expect(noBoundary.statusCode).toBeGreaterThanOrEqual(400);
    expect(noBoundary.statusCode).toBeLessThan(500);
    expect(await documentCount(c.id)).toBe(0);
  });

  it('answers 404 for an unknown consultation and 400 for a malformed id', async () => {
    const missing = await upload('00000000-0000-4000-8000-000000000000', {
      filename: 'a.pdf',
      data: pdf(),
    });
    expect(missing.statusCode).toBe(404);
    expect((await upload('not-a-uuid', { filename: 'a.pdf', data: pdf() })).statusCode).toBe(400);
  });

  it('replays a retried upload with the same Idempotency-Key and refuses the key for another file', async () => {
    const c = await consultation('open');
    const key = { 'idempotency-key': `document-${randomBytes(6).toString('hex')}` };
    const file = { filename: 'a.pdf', data: pdf('first') };
    const first = await upload(c.id, file, { headers: key });
    const retry = await upload(c.id, file, { headers: key });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await documentCount(c.id)).toBe(1);

    const other = await upload(c.id, { filename: 'a.pdf', data: pdf('second') }, { headers: key });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    expect(await documentCount(c.id)).toBe(1);
  });

  it('answers a retry whose first upload committed with that document, not a second one', async () => {
    const c = await consultation('open');
    const key = `document-${randomBytes(6).toString('hex')}`;
    const file = { filename: 'a.pdf', data: pdf('stranded') };
    const first = await upload(c.id, file, { headers: { 'idempotency-key': key } });
    expect(first.statusCode).toBe(201);
    await strandIdempotencyKey(t, admin.id, key);
    const retry = await upload(c.id, file, { headers: { 'idempotency-key': key } });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await documentCount(c.id)).toBe(1);
  });
});

describe('file names', () => {
  it('strips paths, control and bidi characters, keeps Cyrillic and ends in the real extension', async () => {
    const c = await consultation('open');
    const cases = [
      ['../../etc/passwd', 'passwd.pdf'],
      ['..\\..\\Windows\\system32\\evil.pdf', 'evil.pdf'],
      ['C:\\Users\\Мария\\Наредба № 5.PDF', 'Наредба № 5.pdf'],
      ['report\u202Efdp.exe', 'reportfdp.exe.pdf'],
      ['a\u0001b\u007f\u0085c.pdf', 'abc.pdf'],
      // The last path segment of "<script>alert(1)</" + "script>.pdf".
      ['<script>alert(1)</script>.pdf', 'script.pdf'],
      ['<img src=x onerror=alert(1)>.pdf', 'img src=x onerror=alert(1).pdf'],
      ['....', 'document.pdf'],
      ['.pdf', 'document.pdf'],
      ['картинка.png', 'картинка.png.pdf'],
    ] as const;
    for (const [sent, stored] of cases) {
      const document = await uploaded(c.id, { filename: sent, data: pdf() });
      expect(document.fileName, sent).toBe(stored);
    }
  });

  it('are limited in length and normalized', () => {
    expect(sanitizeFileName(`${'я'.repeat(400)}.docx`, 'docx')).toBe(`${'я'.repeat(150)}.docx`);
    // "й" as и + combining breve becomes the single letter.
    expect(sanitizeFileName('Наредба за и\u0306.odt', 'odt')).toBe('Наредба за й.odt');
    expect(sanitizeFileName('  a   b\t c  .pdf', 'pdf')).toBe('a b c.pdf');
    expect(sanitizeFileName('', 'pdf')).toBe('document.pdf');
    expect(sanitizeFileName('План "final" *v2*: <ok>?|.pdf', 'pdf')).toBe('План final v2 ok.pdf');
  });
});

describe('downloading', () => {
  it('sends the stored bytes as an attachment with safe headers and an ETag', async () => {
    const c = await consultation('open');
    const data = docx();
    const document = await uploaded(c.id, { filename: 'Мотиви към проекта.docx', data });
    const response = await t.inject({ method: 'GET', url: `/api/documents/${document.id}` });
    expect(response.statusCode).toBe(200);
    expect(Buffer.compare(response.rawPayload, data)).toBe(0);
    expect(response.headers['content-type']).toBe(docxMime);
    expect(response.headers['content-length']).toBe(String(data.length));
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers.etag).toBe(`"${sha256(data)}"`);
    expect(response.headers['cache-control']).toBe('public, max-age=86400, immutable');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename=document.docx; filename*=UTF-8''${encodeURIComponent('Мотиви към проекта.docx')}`,
    );
  });

  it('gives ASCII names as they are and mixed names a readable fallback', async () => {
    const c = await consultation('scheduled');
    const plain = await uploaded(c.id, { filename: 'plan-2026.pdf', data: pdf() });
    const mixed = await uploaded(c.id, { filename: 'План 2026 final.pdf', data: pdf() });
    const first = await t.inject({ method: 'GET', url: `/api/documents/${plain.id}` });
    expect(first.headers['content-disposition']).toBe('attachment; filename=plan-2026.pdf');
    // A scheduled consultation's documents may still be deleted: cached briefly.
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const second = await t.inject({ method: 'GET', url: `/api/documents/${mixed.id}` });
    // Letters outside ASCII become "_" in the fallback for old clients.
    expect(second.headers['content-disposition']).toBe(
      `attachment; filename="____ 2026 final.pdf"; filename*=UTF-8''${encodeURIComponent('План 2026 final.pdf')}`,
    );
  });

  it('answers 304 to a matching If-None-Match, with the same ETag and no body', async () => {
    const c = await consultation('open');
    const data = pdf();
    const document = await uploaded(c.id, { filename: 'a.pdf', data });
    const etag = `"${sha256(data)}"`;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await t.inject({
        method: 'GET',
        url: `/api/documents/${document.id}`,
        headers: { 'if-none-match': ifNoneMatch },
      });
      expect(response.statusCode, ifNoneMatch).toBe(304);
      expect(response.headers.etag).toBe(etag);
      expect(response.body).toBe('');
    }
    const stale = await t.inject({
      method: 'GET',
      url: `/api/documents/${document.id}`,
      headers: { 'if-none-match': `"${'0'.repeat(64)}"` },
    });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.length).toBe(data.length);
  });

  it('answers 404 for unknown documents and 400 for malformed ids', async () => {
    const missing = await t.inject({
      method: 'GET',
      url: '/api/documents/00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect((await t.inject({ method: 'GET', url: '/api/documents/..%2F..' })).statusCode).toBe(400);
  });
});

describe('deleting', () => {
  it('deletes while draft or scheduled, audited, and the file is gone', async () => {
    for (const state of ['draft', 'scheduled'] as const) {
      const c = await consultation(state);
      const document = await uploaded(c.id, { filename: 'a.pdf', data: pdf() });
      const response = await t.inject({
        method: 'DELETE',
        url: `/api/admin/documents/${document.id}`,
        cookie: admin.cookie,
      });
      expect(response.statusCode, state).toBe(200);
      expect(response.json()).toEqual({ ok: true });
      const download = await t.inject({
        method: 'GET',
        url: `/api/documents/${document.id}`,
        cookie: admin.cookie,
      });
      expect(download.statusCode).toBe(404);
      const [audit] = await t.app.db
        .select()
        .from(auditLog)
        .where(
          and(eq(auditLog.targetId, c.id), eq(auditLog.action, 'consultation.document_deleted')),
        );
      expect(audit).toMatchObject({
        actorId: admin.id,
        details: { documentId: document.id, fileName: 'a.pdf', sha256: document.sha256 },
      });
    }
  });

  it('keeps the documents of open and closed consultations (409 document_locked)', async () => {
    for (const state of ['open', 'closed'] as const) {
      const c = await consultation(state);
      // Closed consultations still take documents (e.g. the signed report); none may go.
      const document = await uploaded(c.id, { filename: 'a.pdf', data: pdf() });
      const response = await t.inject({
        method: 'DELETE',
        url: `/api/admin/documents/${document.id}`,
        cookie: `${admin.cookie}; sabor_locale=en`,
      });
      expect(response.statusCode, state).toBe(409);
      expect(response.json()).toEqual({
        error: {
          code: 'document_locked',
          message: 'The documents of an open or closed consultation cannot be deleted.',
        },
      });
      expect(await documentCount(c.id)).toBe(1);
    }
  });

  it('answers 404 for an unknown document', async () => {
    const response = await t.inject({
      method: 'DELETE',
      url: '/api/admin/documents/00000000-0000-4000-8000-000000000000',
      cookie: admin.cookie,
    });
    expect(response.statusCode).toBe(404);
  });

  it('goes with its consultation’s row (no orphaned files)', async () => {
    const c = await consultation('draft');
    await uploaded(c.id, { filename: 'a.pdf', data: pdf() });
    // Consultations are never deleted through the API; the foreign key cascades if staff do it in SQL.
    await t.app.db.delete(consultations).where(eq(consultations.id, c.id));
    expect(await documentCount(c.id)).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('describes the upload as multipart/form-data with a binary file', async () => {
    const spec = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    }>();
    const post = spec.paths['/api/admin/consultations/{id}/documents']?.post;
    expect(Object.keys(post?.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
    expect(JSON.stringify(post?.requestBody)).toContain('"format":"binary"');
  });
});

describe.runIf(process.env.DATABASE_URL)('several instances (PostgreSQL)', () => {
  let other: TestApp;
  beforeAll(async () => {
    other = await buildTestApp({ DOCUMENT_MAX_BYTES: String(maxBytes) }, undefined, {
      databaseUrl: t.config.databaseUrl!,
    });
  });
  afterAll(async () => {
    await other.close();
  });

  it('serves from one instance a document uploaded through another', async () => {
    const c = await consultation('open');
    const data = odt();
    const document = await uploaded(c.id, { filename: 'Оценка.odt', data });
    const listed = await other.inject({
      method: 'GET',
      url: `/api/consultations/${c.id}/documents`,
    });
    expect(listed.json<ConsultationDocumentList>().items.map((d) => d.id)).toEqual([document.id]);
    const response = await other.inject({ method: 'GET', url: `/api/documents/${document.id}` });
    expect(response.statusCode).toBe(200);
    expect(Buffer.compare(response.rawPayload, data)).toBe(0);
    expect(response.headers['content-type']).toBe(odtMime);
    // And the bytes in the database are the file's, byte for byte.
    const [row] = await other.app.db
      .select({ same: sql<boolean>`${consultationDocuments.data} = ${data}` })
      .from(consultationDocuments)
      .where(eq(consultationDocuments.id, document.id));
    expect(row?.same).toBe(true);
  });
});
