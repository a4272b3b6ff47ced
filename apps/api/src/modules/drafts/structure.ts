/**
 * Recognises the structure of a Bulgarian normative draft (наредба, правилник, закон) in plain
 * text: chapters, sections, articles, paragraphs (алинеи), points, letters and the §§ of the
 * supplementary, transitional and final provisions, so residents can comment on one of them.
 *
 * The recogniser works line by line with anchored regular expressions and a stack of open units,
 * so its time is linear in the input. It never throws on bad numbering: it returns its best tree
 * and a list of problems staff can correct.
 *
 * Decisions on real-world text:
 * - Line breaks (LF, CRLF, CR, vertical tab, Unicode separators) end lines; soft hyphens and
 *   zero-width characters are removed; tabs and non-breaking spaces are spaces.
 * - A line that starts no unit continues the text of the unit before it (wrapped lines join
 *   with a space, a blank line between them keeps a line break).
 * - An article starts with a capital "Чл." (or "ЧЛ.", "Член") followed by its number and a
 *   period ("Чл. 12.", "Чл.12а.", "Чл. 12 а."); a wrapped line beginning "чл. 12, ал. 3 от ..."
 *   is a reference inside text, not an article. Chapters and sections need a capital "Глава" /
 *   "Раздел" for the same reason.
 * - Paragraphs, points and letters are recognised only inside an article or § (points also
 *   inside a paragraph, letters only inside a point); elsewhere such lines are text. Points are
 *   "1." and letters "а)" as Bulgarian drafting rules write them; "1)" is text.
 * - An article's text on its own line becomes its title ("Чл. 5. Предмет") only when it has no
 *   closing punctuation and the article's first paragraph or point follows directly.
 * - Latin letters that look Cyrillic ("12a" typed with a Latin a) count as the Cyrillic letter.
 * - Paragraphs, points and letters inside Bulgarian quotes („…“) are text: an amending § quotes
 *   the new wording of the articles it changes.
 */

import {
  limits,
  type DraftProblemCode,
  type DraftUnit,
  type DraftUnitKind,
} from '@sabor/contracts';

/** Longer input is refused before any work: no regulation comes near it. */
export const MAX_INPUT_CHARS = limits.draftText;
/** More units than this are refused (no tree): far beyond any municipal regulation. */
export const MAX_UNITS = 5_000;
/** A unit whose own text is longer most likely swallowed structure the recogniser missed. */
export const MAX_UNIT_TEXT_CHARS = 20_000;

export type UnitKind = DraftUnitKind;
export type Unit = DraftUnit;
export type ProblemCode = DraftProblemCode;

export interface Problem {
  code: ProblemCode;
  /** 1-based line of the input, when the problem has one. */
  line?: number;
  label?: string;
  /** The number the sequence called for (skipped, out of order) or the limit exceeded. */
  expected?: string;
  /** The number found (skipped, repeated, out of order) or the size found. */
  found?: string;
}

export interface Recognised {
  /** The top level of the tree. */
  units: Unit[];
  problems: Problem[];
}

/** A line that starts a unit, before it is placed in the tree. */
interface Heading {
  kind: Exclude<UnitKind, 'preamble'>;
  number: string | null;
  /** Position in its sequence, for numbering checks: [number, letter suffix index]. */
  order: readonly [number, number] | null;
  title: string | null;
  text: string;
  /** A paragraph opened on the same line as its article or § ("Чл. 2. (1) ..."). */
  inlineParagraph?: Heading;
}

/** Units that hold other units, from the outside in; provisions blocks stand where chapters do. */
const rank: Record<UnitKind, number> = {
  preamble: 0,
  chapter: 1,
  supplementary: 1,
  transitional: 1,
  final: 1,
  transitional_final: 1,
  section: 2,
  article: 3,
  clause: 3,
  paragraph: 4,
  point: 5,
  letter: 6,
};

const provisionsAnchors = {
  supplementary: 'dr',
  transitional: 'pr',
  final: 'zr',
  transitional_final: 'pzr',
} as const;

/** Order of letters in Bulgarian enumerations; й and ь are commonly left out. */
const alphabet = 'абвгдежзийклмнопрстуфхцчшщъьюя';
const optionalLetters = new Set(['й', 'ь']);

/** One ASCII spelling per letter of `alphabet` (streamlined system; ъ, ь kept apart from а, й). */
const asciiSpellings = 'a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht aa yy yu ya';
const latin = new Map([...alphabet].map((letter, i) => [letter, asciiSpellings.split(' ')[i]]));

/** Latin letters typed for their Cyrillic twins in numbers ("12a", "a)"). */
const cyrillicTwin = new Map([...'acekmopxy'].map((letter, i) => [letter, 'асекморху'[i]]));

/** Stems of ordinal numbers 1–20 ("първ-а", "втор-и"); tens add "и" and a unit. */
const ordinalStems = (
  'първ втор трет четвърт пет шест седм осм девет десет единадесет дванадесет тринадесет ' +
  'четиринадесет петнадесет шестнадесет седемнадесет осемнадесет деветнадесет двадесет'
).split(' ');

// Every pattern is anchored and free of nested quantifiers: matching a line is linear in it.
// A number is digits and at most one Bulgarian letter (not ы, э): "12", "12а", "12 а", "12a".
const articlePattern =
  /^(?:Чл\.|ЧЛ\.|Член|ЧЛЕН) ?(\d{1,4})(?: ?([а-щъьюяacekmopxy])(?=\.|$| \())?(?:\.|$|(?= \())(.*)$/iu;
const clausePattern = /^§ ?(\d{1,4})(?: ?([а-щъьюяacekmopxy])(?=\.|$| \())?(?:\.|$|(?= \())(.*)$/iu;
const paragraphPattern = /^\((\d{1,3}) ?([а-щъьюяacekmopxy])?\)(.*)$/u;
const pointPattern = /^(\d{1,3})([а-щъьюяacekmopxy])?\.(?: (.*)|([^\d.].*))?$/u;
const letterPattern = /^([а-щъьюяacekmopxy])\)(.*)$/u;
const amendmentNotePattern = /^\([^\d()][^()]*\) /u;
const articleStartPattern = /^(?:Чл|ЧЛ)|^Член|^ЧЛЕН/u;
const chapterPattern = /^(?:Глава|ГЛАВА) (.+)$/u;
const sectionPattern = /^(?:Раздел|РАЗДЕЛ) (.+)$/u;
const provisionsPattern =
  /^(?:(допълнителн|преходн|заключителн)[аи]|(преходни и заключителни)) разпоредб[аи](?: (?:към|на) .*)?$/u;
const romanPattern = /^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/;
const ordinalNumberPattern =
  /^([IVXLCDMІХ]{1,9}|\d{1,3}|(?:(?:двадесет|тридесет) и )?[а-я]+)(.*)$/iu;

/** Normalises one line: invisible characters out, every space-like character one space. */
function cleanLine(line: string): string {
  return line
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .normalize('NFC');
}

function cyrillicLetter(letter: string): string {
  const lower = letter.toLowerCase();
  return cyrillicTwin.get(lower) ?? lower;
}

function letterIndex(letter: string): number {
  return alphabet.indexOf(letter) + 1;
}

/** A number with an optional letter suffix, as written and as a position in its sequence. */
function numbered(digits: string, suffix: string | undefined) {
  const letter = suffix ? cyrillicLetter(suffix) : '';
  return {
    number: `${Number(digits)}${letter}`,
    order: [Number(digits), letter ? letterIndex(letter) : 0] as const,
  };
}

function romanValue(roman: string): number {
  const digits: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let value = 0;
  for (let i = 0; i < roman.length; i++) {
    const current = digits[roman[i] as string] ?? 0;
    const next = digits[roman[i + 1] ?? ''] ?? 0;
    value += current < next ? -current : current;
  }
  return value;
}

function ordinalWordValue(word: string): number | null {
  const compound = /^(двадесет|тридесет) и (.+)$/u.exec(word);
  const tens = compound ? (compound[1] === 'двадесет' ? 20 : 30) : 0;
  const unit = (compound?.[2] ?? word).replace('найсет', 'надесет');
  if (unit === 'тридесета' || unit === 'тридесети') return compound ? null : 30;
  const last = unit.at(-1);
  if (last !== 'а' && last !== 'и') return null;
  const stem = ordinalStems.indexOf(unit.slice(0, -1)) + 1;
  if (stem === 0 || (compound && stem > 9)) return null;
  return tens + stem;
}

/**
 * The number of a chapter or section ("първа", "IV", "3", "двадесет и първа") and the title
 * after it, or null when the words after "Глава" are no number (a sentence that wrapped).
 */
function parseOrdinal(rest: string): { number: string; value: number; title: string } | null {
  const match = ordinalNumberPattern.exec(rest);
  if (!match) return null;
  const written = match[1] as string;
  const after = match[2] as string;
  if (after !== '' && !/^[ .:–—-]/u.test(after)) return null;
  const title = after.replace(/^[ .:–—-]+/u, '').trim();
  if (/^\d+$/.test(written)) return { number: written, value: Number(written), title };
  const roman = written.toUpperCase().replace(/І/g, 'I').replace(/Х/g, 'X');
  if (romanPattern.test(roman)) return { number: roman, value: romanValue(roman), title };
  const word = written.toLowerCase();
  const value = ordinalWordValue(word);
  return value === null ? null : { number: word, value, title };
}

function provisionsKind(line: string): Heading['kind'] | null {
  const match = provisionsPattern.exec(line.toLowerCase());
  if (!match) return null;
  if (match[2]) return 'transitional_final';
  if (match[1] === 'допълнителн') return 'supplementary';
  return match[1] === 'преходн' ? 'transitional' : 'final';
}

function headingWithNumber(
  kind: Heading['kind'],
  digits: string,
  suffix: string | undefined,
  text: string,
): Heading {
  return { kind, ...numbered(digits, suffix), title: null, text: text.trim() };
}

/**
 * An article or § heading, with a paragraph that starts on the same line. Consolidated texts
 * put an amendment note first ("Чл. 5. (Изм. – Решение № 123/25.03.2021 г.) (1) ..."): the note
 * stays the article's text.
 */
function designatedHeading(kind: 'article' | 'clause', match: RegExpExecArray): Heading {
  const heading = headingWithNumber(kind, match[1] as string, match[2], match[3] as string);
  const note = amendmentNotePattern.exec(heading.text)?.[0] ?? '';
  const paragraph = paragraphPattern.exec(heading.text.slice(note.length));
  if (paragraph) {
    heading.inlineParagraph = headingWithNumber(
      'paragraph',
      paragraph[1] as string,
      paragraph[2],
      paragraph[3] as string,
    );
    heading.text = note.trim();
  }
  return heading;
}

/** What a line starts, given the kinds of units open around it; null for a text line. */
function classify(line: string, open: ReadonlySet<UnitKind>): Heading | null {
  // The i flag serves the number's letter; the word itself must be capitalised (see above).
  const article = articleStartPattern.test(line) ? articlePattern.exec(line) : null;
  if (article) return designatedHeading('article', article);
  const clause = clausePattern.exec(line);
  if (clause) return designatedHeading('clause', clause);
  const inArticle = open.has('article') || open.has('clause');
  if (inArticle) {
    const paragraph = paragraphPattern.exec(line);
    if (paragraph) {
      return headingWithNumber(
        'paragraph',
        paragraph[1] as string,
        paragraph[2],
        paragraph[3] as string,
      );
    }
    const point = pointPattern.exec(line);
    if (point) {
      return headingWithNumber('point', point[1] as string, point[2], point[3] ?? point[4] ?? '');
    }
  }
  const letter = open.has('point') ? letterPattern.exec(line) : null;
  if (letter) {
    const number = cyrillicLetter(letter[1] as string);
    return {
      kind: 'letter',
      number,
      order: [letterIndex(number), 0],
      title: null,
      text: (letter[2] as string).trim(),
    };
  }
  const provisions = provisionsKind(line);
  if (provisions) return { kind: provisions, number: null, order: null, title: line, text: '' };
  const chapter = chapterPattern.exec(line) ?? sectionPattern.exec(line);
  const ordinal = chapter ? parseOrdinal(chapter[1] as string) : null;
  if (!ordinal) return null;
  return {
    kind: line.startsWith('Г') ? 'chapter' : 'section',
    number: ordinal.number,
    order: [ordinal.value, 0],
    title: ordinal.title || null,
    text: '',
  };
}

/** Words a heading never ends with but a sentence cut by a list often does ("се прилага за"). */
const sentenceEndings = new Set('в във за на от с със и или по при до към че като'.split(' '));

function looksLikeTitle(text: string): boolean {
  // An amendment note "(Изм. – ...)" is no heading either.
  if (text === '' || text.length > 120 || /^\(|[.,;:!?…]$/u.test(text)) return false;
  const lastWord = text.slice(text.lastIndexOf(' ') + 1).toLowerCase();
  return !sentenceEndings.has(lastWord);
}

function labelOf(heading: Heading): string {
  const number = heading.number ?? '';
  switch (heading.kind) {
    case 'chapter':
      return `Глава ${number}`;
    case 'section':
      return `Раздел ${number}`;
    case 'article':
      return `Чл. ${number}`;
    case 'clause':
      return `§ ${number}`;
    case 'paragraph':
      return `ал. ${number}`;
    case 'point':
      return `т. ${number}`;
    case 'letter':
      return `буква „${number}“`;
    default: {
      const title = (heading.title ?? '').toLowerCase();
      return title.charAt(0).toUpperCase() + title.slice(1);
    }
  }
}

function transliterate(number: string): string {
  return [...number.toLowerCase()].map((char) => latin.get(char) ?? char).join('');
}

/** The anchor's own segment: a Latin name of the kind and the number in ASCII. */
function anchorSegment(heading: Heading): string {
  const number = transliterate(heading.number ?? '');
  switch (heading.kind) {
    case 'chapter':
      return `glava-${heading.order?.[0] ?? number}`;
    case 'section':
      return `razdel-${heading.order?.[0] ?? number}`;
    case 'article':
      return `chl-${number}`;
    case 'clause':
      return `par-${number}`;
    case 'paragraph':
      return `al-${number}`;
    case 'point':
      return `t-${number}`;
    case 'letter':
      return `b-${number}`;
    default:
      return provisionsAnchors[heading.kind];
  }
}

/** Whether `next` may follow `previous` in a sequence without a gap. */
function followsDirectly(
  kind: UnitKind,
  previous: readonly [number, number] | null,
  next: readonly [number, number],
): boolean {
  if (kind === 'letter') {
    const from = previous?.[0] ?? 0;
    for (let index = from + 1; index < next[0]; index++) {
      if (!optionalLetters.has(alphabet[index - 1] as string)) return false;
    }
    return true;
  }
  const [number, suffix] = previous ?? [0, 0];
  if (next[0] === number) return next[1] === suffix + 1;
  return next[0] === number + 1 && next[1] <= 1;
}

function compareOrder(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

function expectedAfter(kind: UnitKind, previous: readonly [number, number] | null): string {
  if (kind === 'letter') return alphabet[previous?.[0] ?? 0] ?? '';
  return String((previous?.[0] ?? 0) + 1);
}

/** Kinds numbered through the whole draft rather than within their parent. */
const throughDraft = new Set<UnitKind>(['chapter', 'article', 'clause']);

interface OpenUnit {
  unit: Unit;
  /** Last number seen per child kind, for the numbering checks of its children. */
  lastChild: Map<UnitKind, readonly [number, number]>;
  /** Whether a line after the heading line has continued the unit's text. */
  continued: boolean;
  pendingBlank: boolean;
}

class TreeBuilder {
  readonly root: OpenUnit = this.open({
    kind: 'preamble',
    number: null,
    label: '',
    title: null,
    text: '',
    anchor: '',
    line: 0,
    children: [],
  });
  readonly problems: Problem[] = [];
  private readonly stack: OpenUnit[] = [this.root];
  private readonly anchors = new Set<string>();
  /** The last copy number given to each repeated anchor. */
  private readonly copies = new Map<string, number>();
  private readonly lastThroughDraft = new Map<UnitKind, readonly [number, number]>();
  unitCount = 0;

  private open(unit: Unit): OpenUnit {
    return { unit, lastChild: new Map(), continued: false, pendingBlank: false };
  }

  get openKinds(): Set<UnitKind> {
    return new Set(this.stack.map((entry) => entry.unit.kind));
  }

  private get top(): OpenUnit {
    return this.stack[this.stack.length - 1] as OpenUnit;
  }

  /** Places a heading: closes the units it cannot sit in, checks its number, opens it. */
  add(heading: Heading, line: number): void {
    while (this.stack.length > 1 && !this.canHold(this.top.unit.kind, heading.kind)) {
      this.stack.pop();
    }
    const parent = this.top;
    const label = labelOf(heading);
    const base = this.anchorBase(parent, heading);
    const repeated = this.anchors.has(base);
    this.checkNumbering(heading, parent, { line, label }, repeated);
    this.promoteArticleTitle(parent, heading);
    const unit: Unit = {
      kind: heading.kind,
      number: heading.number,
      label,
      title: heading.title,
      text: heading.text,
      anchor: this.claimAnchor(base),
      line,
      children: [],
    };
    parent.unit.children.push(unit);
    this.stack.push(this.open(unit));
    this.unitCount++;
    if (heading.inlineParagraph) this.add(heading.inlineParagraph, line);
  }

  /** A line that starts no unit: the title of a chapter or section, else the open unit's text. */
  continueText(line: string, lineNumber: number): void {
    const current = this.top;
    const { unit } = current;
    if (unit.kind === 'chapter' || unit.kind === 'section') {
      unit.title = unit.title ? `${unit.title} ${line}` : line;
      return;
    }
    if (unit.text === '') {
      unit.text = line;
      // The preamble starts where its text does.
      if (unit === this.root.unit) unit.line = lineNumber;
    } else unit.text += (current.pendingBlank ? '\n' : ' ') + line;
    current.continued = true;
    current.pendingBlank = false;
  }

  blankLine(): void {
    if (this.top.unit.text !== '') this.top.pendingBlank = true;
  }

  private canHold(parent: UnitKind, child: UnitKind): boolean {
    if (child === 'letter') return parent === 'point';
    if (child === 'point')
      return parent === 'article' || parent === 'clause' || parent === 'paragraph';
    if (child === 'section') return parent === 'chapter';
    return rank[parent] < rank[child];
  }

  /** "Чл. 5. Предмет" followed straight by "(1) ..." or "1. ...": the text was a heading. */
  private promoteArticleTitle(parent: OpenUnit, child: Heading): void {
    const { unit } = parent;
    if (unit.kind !== 'article' || unit.children.length > 0 || parent.continued) return;
    if (child.kind !== 'paragraph' && child.kind !== 'point') return;
    if (!looksLikeTitle(unit.text)) return;
    unit.title = unit.text;
    unit.text = '';
  }

  /**
   * Compares the number with the highest one before it in the same sequence. A number whose
   * anchor is taken is repeated; one below the highest is out of order; a gap is skipped.
   */
  private checkNumbering(
    heading: Heading,
    parent: OpenUnit,
    where: { line: number; label: string },
    repeated: boolean,
  ): void {
    const order = heading.order;
    if (!order) return;
    const seen = throughDraft.has(heading.kind) ? this.lastThroughDraft : parent.lastChild;
    const previous = seen.get(heading.kind) ?? null;
    const found = heading.number ?? '';
    if (repeated) {
      this.problems.push({ code: 'numbering_repeated', ...where, found });
      return;
    }
    if (previous && compareOrder(order, previous) < 0) {
      const expected = expectedAfter(heading.kind, previous);
      this.problems.push({ code: 'numbering_out_of_order', ...where, expected, found });
      return;
    }
    seen.set(heading.kind, order);
    if (!followsDirectly(heading.kind, previous, order)) {
      const expected = expectedAfter(heading.kind, previous);
      this.problems.push({ code: 'numbering_skipped', ...where, expected, found });
    }
  }

  /**
   * The path-derived anchor. Articles and §§ are cited on their own ("чл. 12а"), so their
   * anchors leave the chapter out: moving an article to another chapter keeps its anchor.
   */
  private anchorBase(parent: OpenUnit, heading: Heading): string {
    const nested = !throughDraft.has(heading.kind) && parent.unit.anchor !== '';
    return nested ? `${parent.unit.anchor}-${anchorSegment(heading)}` : anchorSegment(heading);
  }

  /** A taken anchor gets "-2", "-3": an odd number of segments, never the shape of a real path. */
  private claimAnchor(base: string): string {
    let anchor = base;
    // Counting on from the last copy keeps a draft of one number repeated thousands of times linear.
    let copy = this.copies.get(base) ?? 1;
    while (this.anchors.has(anchor)) anchor = `${base}-${++copy}`;
    this.copies.set(base, copy);
    this.anchors.add(anchor);
    return anchor;
  }
}

/** Kinds that quoted text in an amending § often holds: inside quotes they are text. */
const quotableKinds = new Set<UnitKind>(['paragraph', 'point', 'letter']);

/**
 * Follows Bulgarian quotes („…“) across lines. An amending § quotes the new wording
 * ("§ 2. Създава се чл. 12а:\n„Чл. 12а. (1) ...\n(2) ...“"), whose paragraphs and points are
 * the §'s text, not its children. An article, § or chapter heading ends a quote left open by a
 * typo, so one stray „ cannot swallow the rest of the draft.
 */
class QuoteTracker {
  private depth = 0;

  get open(): boolean {
    return this.depth > 0;
  }

  read(line: string, heading: Heading | null): void {
    if (heading && !quotableKinds.has(heading.kind)) this.depth = 0;
    for (const char of line) {
      if (char === '„') this.depth++;
      else if (char === '“' && this.depth > 0) this.depth--;
    }
  }
}

function refused(problem: Problem): Recognised {
  return { units: [], problems: [problem] };
}

function checkLengths(units: readonly Unit[], problems: Problem[]): void {
  for (const unit of units) {
    if (unit.text.length > MAX_UNIT_TEXT_CHARS) {
      problems.push({
        code: 'unit_too_long',
        line: unit.line,
        label: unit.label,
        expected: String(MAX_UNIT_TEXT_CHARS),
        found: String(unit.text.length),
      });
    }
    checkLengths(unit.children, problems);
  }
}

/**
 * The structure of a draft's text. Input over MAX_INPUT_CHARS or with more than MAX_UNITS units
 * is refused (no units, one problem): a partial tree would silently drop the rest of the draft.
 */
export function recogniseStructure(text: string): Recognised {
  if (text.length > MAX_INPUT_CHARS) {
    return refused({
      code: 'input_too_long',
      expected: String(MAX_INPUT_CHARS),
      found: String(text.length),
    });
  }
  const builder = new TreeBuilder();
  const quotes = new QuoteTracker();
  const lines = text.split(/\r\n|[\n\r\v\f\u2028\u2029]/u);
  for (let index = 0; index < lines.length; index++) {
    const line = cleanLine(lines[index] as string);
    if (line === '') {
      builder.blankLine();
      continue;
    }
    let heading = classify(line, builder.openKinds);
    if (heading && quotes.open && quotableKinds.has(heading.kind)) heading = null;
    quotes.read(line, heading);
    if (!heading) {
      builder.continueText(line, index + 1);
      continue;
    }
    builder.add(heading, index + 1);
    if (builder.unitCount > MAX_UNITS) {
      return refused({ code: 'too_many_units', line: index + 1, expected: String(MAX_UNITS) });
    }
  }
  const { root, problems } = builder;
  const units = root.unit.children;
  if (root.unit.text !== '') {
    units.unshift({ ...root.unit, label: 'Преамбюл', anchor: 'preambyul', children: [] });
  }
  if (builder.unitCount === 0) problems.push({ code: 'no_units_found' });
  checkLengths(units, problems);
  return { units, problems };
}

export interface FlatUnit {
  unit: Unit;
  depth: number;
  parentAnchor: string | null;
  /** The citation residents read: "Чл. 12а, ал. 3, т. 2" (chapters and sections left out). */
  citation: string;
}

/** The units in document order, each with its depth, parent and full citation. */
export function flattenUnits(units: readonly Unit[]): FlatUnit[] {
  const flat: FlatUnit[] = [];
  const visit = (list: readonly Unit[], depth: number, parent: Unit | null, citation: string) => {
    for (const unit of list) {
      const cited = rank[unit.kind] >= rank.article || unit.kind === 'preamble';
      const own = cited && citation ? `${citation}, ${unit.label}` : unit.label;
      flat.push({ unit, depth, parentAnchor: parent?.anchor ?? null, citation: own });
      visit(unit.children, depth + 1, unit, cited ? own : '');
    }
  };
  visit(units, 0, null, '');
  return flat;
}
