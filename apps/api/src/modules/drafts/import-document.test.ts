import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_UNPACKED_BYTES, textOfDocument } from './import-document';
import { flattenUnits, recogniseStructure } from './structure';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const wordNamespace = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A minimal valid DOCX; each paragraph is a list of lines joined by line breaks (Shift+Enter). */
function docx(paragraphs: readonly (string | readonly string[])[], extra: Zippable = {}) {
  const body = paragraphs
    .map((paragraph) => {
      const lines = typeof paragraph === 'string' ? [paragraph] : paragraph;
      const runs = lines
        .map((line) => `<w:t xml:space="preserve">${escapeXml(line)}</w:t>`)
        .join('<w:br/>');
      return `<w:p><w:r>${runs}</w:r></w:p>`;
    })
    .join('');
  return docxOfBody(body, extra);
}

/** A minimal valid DOCX around the given w:body content. */
function docxOfBody(body: string, extra: Zippable = {}) {
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${wordNamespace}"><w:body>${body}</w:body></w:document>`,
    ),
    ...extra,
  });
}

/** A minimal valid ODT around the given office:text content. */
function odt(content: string, manifestExtra = '') {
  return zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
    'META-INF/manifest.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">${manifestExtra}</manifest:file-entry></manifest:manifest>`,
    ),
    'content.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>${content}</office:text></office:body></office:document-content>`,
    ),
  });
}

const regulationParagraphs = [
  'НАРЕДБА за реда и условията за провеждане на обществени консултации в Община Стара Загора',
  ['Глава първа', 'ОБЩИ ПОЛОЖЕНИЯ'],
  'Чл. 1. (1) С тази наредба се уреждат редът и условията за провеждане на обществени консултации.',
  '(2) Наредбата се прилага и за стратегически документи на общината.',
  'Чл. 2. Консултациите се провеждат при спазване на принципите на:',
  '1. откритост & отчетност;',
  '2. пропорционалност.',
  'Заключителни разпоредби',
  '§ 1. Наредбата влиза в сила от деня на обнародването ѝ.',
];

describe('textOfDocument with DOCX', () => {
  it('keeps paragraphs and line breaks apart, so the structure is recognised', async () => {
    const result = await textOfDocument(docx(regulationParagraphs));
    expect(result).toMatchObject({ ok: true, format: 'docx' });
    if (!result.ok) return;
    expect(result.text).toContain('Глава първа\nОБЩИ ПОЛОЖЕНИЯ');
    expect(result.text).toContain('1. откритост & отчетност;');
    const recognised = recogniseStructure(result.text);
    expect(recognised.problems).toEqual([]);
    expect(flattenUnits(recognised.units).map(({ unit }) => unit.anchor)).toEqual([
      'preambyul',
      'glava-1',
      'chl-1',
      'chl-1-al-1',
      'chl-1-al-2',
      'chl-2',
      'chl-2-t-1',
      'chl-2-t-2',
      'zr',
      'par-1',
    ]);
    expect(recognised.units[1]?.title).toBe('ОБЩИ ПОЛОЖЕНИЯ');
  });

  it('leaves footnotes out of the text', async () => {
    const body = `<w:p><w:r><w:t>Чл. 1. Наредбата е обнародвана</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>.</w:t></w:r></w:p><w:p><w:r><w:t>Чл. 2. Край.</w:t></w:r></w:p>`;
    const file = docxOfBody(body, {
      'word/_rels/document.xml.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
      ),
      'word/footnotes.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="${wordNamespace}"><w:footnote w:id="1"><w:p><w:r><w:t>Обн. ДВ, бр. 12 от 2024 г.</w:t></w:r></w:p></w:footnote></w:footnotes>`,
      ),
    });
    expect(await textOfDocument(file)).toEqual({
      ok: true,
      format: 'docx',
      text: 'Чл. 1. Наредбата е обнародвана.\n\nЧл. 2. Край.',
    });
  });

  it('ignores images and other binary parts without unpacking them', async () => {
    const image = new Uint8Array(1024).fill(7);
    const result = await textOfDocument(
      docx(['Чл. 1. Текст.'], { 'word/media/image1.png': image }),
    );
    expect(result).toEqual({ ok: true, format: 'docx', text: 'Чл. 1. Текст.' });
  });

  it('calls a document without text empty', async () => {
    expect(await textOfDocument(docx([]))).toEqual({ ok: false, code: 'document_empty' });
    expect(await textOfDocument(docx(['  ', '']))).toEqual({ ok: false, code: 'document_empty' });
  });
});

describe('textOfDocument with ODT', () => {
  it('reads headings, paragraphs, list items, spaces and tabs, but no comments or notes', async () => {
    const content = [
      '<text:h text:outline-level="1">Глава първа</text:h>',
      '<text:p>ОБЩИ ПОЛОЖЕНИЯ</text:p>',
      '<text:p>Чл. 1.<text:s/>(1) Наредбата урежда<text:s text:c="2"/>консултациите<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Бележка под линия.</text:p></text:note-body></text:note>.</text:p>',
      '<text:p>(2) Тя се прилага<office:annotation><text:p>Коментар на юриста</text:p></office:annotation> и за стратегии:</text:p>',
      '<text:list><text:list-item><text:p>1.<text:tab/>стратегии за развитие;</text:p></text:list-item>',
      '<text:list-item><text:p>2. програми &amp; планове.</text:p></text:list-item></text:list>',
      '<text:tracked-changes><text:changed-region><text:deletion><text:p>Изтрит текст</text:p></text:deletion></text:changed-region></text:tracked-changes>',
    ].join('');
    const result = await textOfDocument(odt(content));
    expect(result).toEqual({
      ok: true,
      format: 'odt',
      text: [
        'Глава първа',
        'ОБЩИ ПОЛОЖЕНИЯ',
        'Чл. 1. (1) Наредбата урежда  консултациите.',
        '(2) Тя се прилага и за стратегии:',
        '1.\tстратегии за развитие;',
        '2. програми & планове.',
      ].join('\n'),
    });
    if (!result.ok) return;
    const anchors = flattenUnits(recogniseStructure(result.text).units).map(
      ({ unit }) => unit.anchor,
    );
    expect(anchors).toEqual([
      'glava-1',
      'chl-1',
      'chl-1-al-1',
      'chl-1-al-2',
      'chl-1-al-2-t-1',
      'chl-1-al-2-t-2',
    ]);
  });

  it('refuses an encrypted ODT', async () => {
    const encryption =
      '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>';
    expect(await textOfDocument(odt('<text:p>x</text:p>', encryption))).toEqual({
      ok: false,
      code: 'file_encrypted',
    });
  });

  it('refuses content whose DOCTYPE declares entities (no entity expansion)', async () => {
    const bomb = odt('<text:p>x</text:p>');
    const withDoctype = zipSync({
      mimetype: strToU8('application/vnd.oasis.opendocument.text'),
      'content.xml': strToU8(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>&b;</text:p></office:text></office:body></office:document-content>',
      ),
    });
    expect(await textOfDocument(bomb)).toMatchObject({ ok: true });
    expect(await textOfDocument(withDoctype)).toEqual({ ok: false, code: 'file_not_document' });
  });

  it('calls an ODT without text empty', async () => {
    expect(await textOfDocument(odt('<text:p/>'))).toEqual({ ok: false, code: 'document_empty' });
  });
});

describe('textOfDocument with hostile or wrong input', () => {
  const zeros = (bytes: number) => new Uint8Array(bytes);

  it('refuses a zip bomb before inflating past the cap', async () => {
    const bomb = zipSync({
      '[Content_Types].xml': zeros(MAX_UNPACKED_BYTES + 1024 * 1024),
    });
    expect(bomb.length).toBeLessThan(100_000);
    expect(await textOfDocument(bomb)).toEqual({ ok: false, code: 'file_unpacked_too_large' });
  });

  it('counts what is inflated, not what the zip headers claim', async () => {
    const bomb = zipSync({ 'content.xml': zeros(MAX_UNPACKED_BYTES + 1024 * 1024) });
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    // Local header and central directory both claim 1 KiB uncompressed.
    view.setUint32(22, 1024, true);
    const central = bomb.length - 22 - (46 + 'content.xml'.length);
    expect(view.getUint32(central, true)).toBe(0x02014b50);
    view.setUint32(central + 24, 1024, true);
    expect(await textOfDocument(bomb)).toEqual({ ok: false, code: 'file_unpacked_too_large' });
  });

  it('refuses a zip of many small parts', async () => {
    const parts: Zippable = {};
    for (let i = 0; i < 3_000; i++) parts[`word/part${i}.xml`] = strToU8('<x/>');
    expect(await textOfDocument(zipSync(parts))).toEqual({
      ok: false,
      code: 'file_unpacked_too_large',
    });
  });

  it.each([
    ['a PDF', strToU8('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF')],
    ['plain text', strToU8('Чл. 1. Текст.')],
    ['an empty file', new Uint8Array(0)],
    ['a zip of other files', zipSync({ 'readme.txt': strToU8('Здравейте') })],
    ['a zip with no main document', zipSync({ '[Content_Types].xml': strToU8('<Types/>') })],
    ['a truncated DOCX', docx(['Чл. 1. Текст.']).subarray(0, 200)],
    [
      'a legacy .doc',
      Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...zeros(504)]),
    ],
  ])('refuses %s as not a document', async (_name, bytes) => {
    expect(await textOfDocument(bytes)).toEqual({ ok: false, code: 'file_not_document' });
  });

  it('recognises a password-protected DOCX (an OLE file with an EncryptionInfo stream)', async () => {
    const bytes = Buffer.concat([
      Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      zeros(1000),
      Buffer.from('EncryptionInfo', 'utf16le'),
    ]);
    expect(await textOfDocument(bytes)).toEqual({ ok: false, code: 'file_encrypted' });
  });
});
