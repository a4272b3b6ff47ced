/**
 * The text of an uploaded draft (DOCX or ODT), one paragraph a line, for the structure
 * recogniser. Uploads are hostile until read: the zip is unpacked here with a cap on what it may
 * inflate (counted while inflating, whatever its headers claim), and only then are the parts
 * handed to mammoth (DOCX) or an XML parser that expands no entities (ODT).
 *
 * Known limit: numbers a word processor draws itself (automatic list numbering) are not text in
 * the file, so "Чл. 1." or "(1)" made that way do not reach the recogniser; staff see
 * `no_units_found` or a long unit and can paste the text instead.
 */
import mammoth from 'mammoth';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { Unzip, UnzipInflate, zipSync } from 'fflate';

/** What a document's parts may inflate to, all together: regulations are far smaller. */
export const MAX_UNPACKED_BYTES = 20 * 1024 * 1024;
/** Entries a document's zip may have; Word and LibreOffice write a few dozen. */
export const MAX_ARCHIVE_ENTRIES = 2_000;

export type DocumentTextError =
  'file_not_document' | 'file_encrypted' | 'file_unpacked_too_large' | 'document_empty';

export type DocumentText =
  { ok: true; format: 'docx' | 'odt'; text: string } | { ok: false; code: DocumentTextError };

/**
 * Compressed bytes fed to the inflater at a time: deflate expands at most ~1032:1, so one step
 * can overshoot the cap by a few megabytes at worst before it is checked.
 */
const inflateStep = 4 * 1024;

const zipMagic = [0x50, 0x4b, 0x03, 0x04];
/** Office writes password-protected DOCX as an OLE compound file, not a zip. */
const compoundFileMagic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const encryptionStream = Buffer.from('EncryptionInfo', 'utf16le');

const odtMimeType = 'application/vnd.oasis.opendocument.text';
const odfTextNamespace = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const odfOfficeNamespace = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';

const failure = (code: DocumentTextError): DocumentText => ({ ok: false, code });

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/** Parts that carry text or say what the document is; images and fonts are never unpacked. */
function isTextPart(name: string): boolean {
  return name === 'mimetype' || name.endsWith('.xml') || name.endsWith('.rels');
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/**
 * The text parts of a zip, or why not. Inflated bytes are counted as they come out and the
 * archive is abandoned past MAX_UNPACKED_BYTES, so a zip bomb costs at most the cap.
 */
function unpackTextParts(bytes: Uint8Array): Map<string, Uint8Array> | DocumentTextError {
  const parts = new Map<string, Uint8Array[]>();
  let entries = 0;
  let unpacked = 0;
  let refusal: DocumentTextError | null = null;
  const unzip = new Unzip((file) => {
    entries++;
    if (entries > MAX_ARCHIVE_ENTRIES) refusal ??= 'file_unpacked_too_large';
    if (refusal || !isTextPart(file.name)) return;
    const chunks: Uint8Array[] = [];
    parts.set(file.name, chunks);
    file.ondata = (error, data) => {
      if (error) {
        refusal ??= 'file_not_document';
        return;
      }
      unpacked += data.length;
      if (unpacked > MAX_UNPACKED_BYTES) refusal ??= 'file_unpacked_too_large';
      else chunks.push(data);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < bytes.length && !refusal; offset += inflateStep) {
      const end = offset + inflateStep;
      unzip.push(bytes.subarray(offset, end), end >= bytes.length);
    }
  } catch {
    return 'file_not_document';
  }
  if (refusal) return refusal;
  return new Map([...parts].map(([name, chunks]) => [name, concat(chunks)]));
}

const decodeUtf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** mammoth's HTML escapes "<" and ">" in text and attributes, so every "<...>" is a tag. */
function textOfHtml(html: string): string {
  return html
    .replace(/<br ?\/?>/g, '\n')
    .replace(/<\/(?:p|h[1-6]|li|td|th)>/g, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * DOCX through mammoth, given a zip rebuilt from the capped parts without compression, so
 * mammoth inflates nothing. HTML rather than raw text: raw text drops line breaks (Shift+Enter)
 * and would glue "Глава първа" to its title.
 */
async function textOfDocx(parts: Map<string, Uint8Array>): Promise<string | null> {
  const zip = zipSync(Object.fromEntries(parts), { level: 0 });
  try {
    const { value } = await mammoth.convertToHtml(
      { buffer: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength) },
      {
        // Images were not unpacked; an empty source keeps mammoth from looking for them.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        transformDocument: withoutNoteReferences,
      },
    );
    return textOfHtml(value);
  } catch {
    return null;
  }
}

/** The part of mammoth's document model this module touches. */
interface DocxElement {
  type: string;
  children?: DocxElement[];
}

/**
 * The document without footnote and endnote references. mammoth writes only the notes a
 * reference points to, at the end, where they would read as text of the last article.
 */
function withoutNoteReferences(element: DocxElement): DocxElement {
  if (!element.children) return element;
  const children = element.children.filter((child) => child.type !== 'noteReference');
  return { ...element, children: children.map(withoutNoteReferences) };
}

/** Elements whose text is not the document's: comments, footnotes, deleted tracked changes. */
const skippedOdfElements = new Set(['annotation', 'note', 'tracked-changes']);

/**
 * The paragraphs and headings of an ODT's content.xml. saxes expands no entities a DOCTYPE
 * declares (an undefined entity is an error), so nested-entity bombs fail instead of growing.
 */
function textOfOdtContent(xml: string): string | null {
  const lines: string[] = [];
  // Open paragraphs, innermost last: a text box inside a paragraph holds paragraphs of its own.
  const open: string[] = [];
  let skipping = 0;
  const append = (text: string) => {
    if (open.length > 0) open[open.length - 1] += text;
  };
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => {
    if (skipping > 0 || isSkipped(tag)) {
      skipping++;
      return;
    }
    if (tag.uri !== odfTextNamespace) return;
    if (tag.local === 'p' || tag.local === 'h') open.push('');
    else if (tag.local === 's') append(' '.repeat(spaceCount(tag)));
    else if (tag.local === 'tab') append('\t');
    else if (tag.local === 'line-break') append('\n');
  });
  parser.on('closetag', (tag) => {
    if (skipping > 0) skipping--;
    else if (tag.uri === odfTextNamespace && (tag.local === 'p' || tag.local === 'h')) {
      lines.push(open.pop() ?? '');
    }
  });
  parser.on('text', (text) => {
    if (skipping === 0) append(text);
  });
  try {
    parser.write(xml).close();
  } catch {
    return null;
  }
  return lines.join('\n');
}

function isSkipped(tag: SaxesTagNS): boolean {
  const odf = tag.uri === odfTextNamespace || tag.uri === odfOfficeNamespace;
  return odf && skippedOdfElements.has(tag.local);
}

/** `<text:s text:c="3"/>` stands for three spaces; more than a few are layout, not text. */
function spaceCount(tag: SaxesTagNS): number {
  const count = Number(tag.attributes['text:c']?.value ?? 1);
  return Number.isInteger(count) && count > 0 ? Math.min(count, 10) : 1;
}

function readOdt(parts: Map<string, Uint8Array>): DocumentText {
  const manifest = parts.get('META-INF/manifest.xml');
  if (manifest && decodeUtf8(manifest).includes('encryption-data'))
    return failure('file_encrypted');
  const content = parts.get('content.xml');
  const text = content ? textOfOdtContent(decodeUtf8(content)) : null;
  return text === null ? failure('file_not_document') : withText('odt', text);
}

function withText(format: 'docx' | 'odt', text: string): DocumentText {
  const trimmed = text.replace(/\n{3,}/g, '\n\n').trim();
  return trimmed === '' ? failure('document_empty') : { ok: true, format, text: trimmed };
}

/**
 * The text of a DOCX or ODT file, read from its bytes (the name and Content-Type the browser sent
 * prove nothing). Errors are values with stable codes; no input makes this throw.
 */
export async function textOfDocument(bytes: Uint8Array): Promise<DocumentText> {
  if (startsWith(bytes, compoundFileMagic)) {
    // A legacy .doc is a compound file too; only an encrypted OOXML one has this stream.
    const encrypted = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(
      encryptionStream,
    );
    return failure(encrypted ? 'file_encrypted' : 'file_not_document');
  }
  if (!startsWith(bytes, zipMagic)) return failure('file_not_document');
  const parts = unpackTextParts(bytes);
  if (typeof parts === 'string') return failure(parts);
  const mimeType = parts.get('mimetype');
  if (mimeType && decodeUtf8(mimeType).trim().startsWith(odtMimeType)) return readOdt(parts);
  if (!parts.has('[Content_Types].xml')) return failure('file_not_document');
  const text = await textOfDocx(parts);
  return text === null ? failure('file_not_document') : withText('docx', text);
}
