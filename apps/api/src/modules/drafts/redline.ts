/**
 * The redline between two versions of a structured draft: what residents read to see, article by
 * article, what a new version changed. Comparing is done on "entries": every article and § with
 * its paragraphs, points and letters folded into its text, and every unit outside an article
 * (preamble, chapter, section, provisions heading) on its own.
 *
 * Matching entries of the two versions, in passes from the surest to the loosest:
 * 1. Identical entries whose text occurs once in each version. The heaviest chain of them in the
 *    same order on both sides (an increasing subsequence; headings weigh more than articles, so a
 *    chapter stays put and its articles are the ones that moved) splits both versions into gaps.
 *    Inserting one article early renumbers every later one, yet their texts still match here:
 *    content beats numbers, so old Чл. 5 pairs with new Чл. 6 even though a new Чл. 5 exists.
 * 2. Identical entries whose text repeats ("(Отм.)"), first within the same gap, then anywhere.
 * 3. Similar entries (word-set Jaccard at least SIMILAR), candidates taken from small gaps whole
 *    and otherwise from an inverted index of the rarer words; pairs in the same gap first (a
 *    change in place is likelier than a move), then by similarity.
 * 4. Entries left in the same gap with the same anchor: the same article rewritten (so are
 *    provisions blocks, which have no number, left in the same gap).
 * Entries left over were added or deleted. A matched entry is `moved` when it falls outside the
 * heaviest chain of all pairs in the same order, and `renumbered` when its number changed.
 *
 * Every pass is linear or n log n in the entries, except the word diffs of changed entries,
 * which share one budget (WORD_DIFF_BUDGET): past it a change is shown as the old text deleted
 * and the new inserted. So the 5,000-unit drafts the recogniser accepts finish in bounded time.
 */
import type { Redline, RedlineEntry, RedlineSegment } from '@sabor/contracts';
import { diffArrays } from 'diff';
import type { Unit, UnitKind } from './structure';

/** Word-set Jaccard from which two entries are one entry edited (2 of 10 words changed ≈ 0.67). */
export const SIMILAR = 0.6;
/** Below this Jaccard a change is shown as a rewrite (old text out, new in): words would be noise. */
export const REWRITTEN = 0.25;
/**
 * Token comparisons the word diffs of one redline may spend, worst case: about 30 ms of the
 * diff library on a slow core, and far more than a real amendment of 200 articles needs.
 */
const WORD_DIFF_BUDGET = 1_000_000;
/** Gaps with at most this many pairs of entries are compared whole. */
const SMALL_GAP_PAIRS = 64;
/** Words in more unmatched entries than this say nothing about which one is which. */
const COMMON_WORD_ENTRIES = 16;
/** Candidates the inverted index offers per new entry. */
const CANDIDATES_PER_ENTRY = 8;

export type EntryStatus = RedlineEntry['status'];
export type Segment = RedlineSegment;
export type UnitVersion = NonNullable<RedlineEntry['before']>;
export type RedlineSummary = Redline['summary'];
export type { Redline, RedlineEntry };

/** Blocks of §§ whose kind may change between versions: "Преходни" became "… и заключителни". */
const provisionsKinds = new Set<UnitKind>([
  'supplementary',
  'transitional',
  'final',
  'transitional_final',
]);

/** Kinds that stand outside articles: each is an entry of its own, its children entries too. */
const headingKinds = new Set<UnitKind>(['preamble', 'chapter', 'section', ...provisionsKinds]);

/** Entries match only within their group. */
const groupOf = (kind: UnitKind): string => (provisionsKinds.has(kind) ? 'provisions' : kind);

interface Entry {
  unit: Unit;
  group: string;
  text: string;
  /** Same id, same group and text. */
  id: number;
  isHeading: boolean;
  /** Its words in lower case, once needed. */
  words?: Set<string>;
}

/** How the draft writes a sub-unit's number at the start of its line. */
function marker(unit: Unit): string {
  if (unit.kind === 'paragraph') return `(${unit.number ?? ''})`;
  if (unit.kind === 'point') return `${unit.number ?? ''}.`;
  if (unit.kind === 'letter') return `${unit.number ?? ''})`;
  return unit.label;
}

/** An article's text with its sub-units in document order; iterative, whatever the depth. */
function foldedText(unit: Unit): string {
  const lines = [unit.title ?? '', unit.text].filter((line) => line !== '');
  const stack = [...unit.children].reverse();
  for (let child = stack.pop(); child; child = stack.pop()) {
    lines.push(child.text === '' ? marker(child) : `${marker(child)} ${child.text}`);
    for (let i = child.children.length - 1; i >= 0; i--) stack.push(child.children[i] as Unit);
  }
  return lines.join('\n');
}

function entriesOf(units: readonly Unit[], ids: Map<string, number>): Entry[] {
  const entries: Entry[] = [];
  const stack = [...units].reverse();
  for (let unit = stack.pop(); unit; unit = stack.pop()) {
    const isHeading = headingKinds.has(unit.kind);
    const text = isHeading
      ? [unit.title ?? '', unit.text].filter((line) => line !== '').join('\n')
      : foldedText(unit);
    const group = groupOf(unit.kind);
    const key = `${group}\n${text}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    entries.push({ unit, group, text, id, isHeading });
    if (isHeading) {
      for (let i = unit.children.length - 1; i >= 0; i--) stack.push(unit.children[i] as Unit);
    }
  }
  return entries;
}

/**
 * The heaviest subsequence of pairs (given in increasing `after` order) whose `before` indices
 * also increase: the pairs that stayed in place. A Fenwick tree of prefix maxima makes it
 * n log n; ties keep the earliest chain found, so the result is deterministic.
 */
function heaviestInOrder(
  pairs: readonly (readonly [number, number])[],
  size: number,
  weight: (pair: readonly [number, number]) => number,
): Set<number> {
  const bestWeight = new Float64Array(size + 1);
  const bestPair = new Int32Array(size + 1).fill(-1);
  const previous = new Int32Array(pairs.length).fill(-1);
  const total = new Float64Array(pairs.length);
  let top = -1;
  pairs.forEach((pair, index) => {
    let best = 0;
    let from = -1;
    for (let i = pair[0]; i > 0; i -= i & -i) {
      if (bestWeight[i]! > best) [best, from] = [bestWeight[i]!, bestPair[i]!];
    }
    previous[index] = from;
    total[index] = best + weight(pair);
    for (let i = pair[0] + 1; i <= size; i += i & -i) {
      if (total[index] > bestWeight[i]!) [bestWeight[i], bestPair[i]] = [total[index], index];
    }
    if (top === -1 || total[index] > total[top]!) top = index;
  });
  const chain = new Set<number>();
  for (let index = top; index !== -1; index = previous[index]!) chain.add(index);
  return chain;
}

const wordPattern = /[\p{L}\p{M}\p{N}]+/gu;

function wordsOf(entry: Entry): Set<string> {
  entry.words ??= new Set(entry.text.toLowerCase().match(wordPattern));
  return entry.words;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** The pairing of two versions' entries; -1 where an entry has no partner. */
class Matching {
  readonly beforeMatch: Int32Array;
  readonly afterMatch: Int32Array;
  /** Per entry, how many pairs of the first pass's chain precede it: equal gap, same place. */
  beforeGap: Int32Array;
  afterGap: Int32Array;

  constructor(
    readonly before: Entry[],
    readonly after: Entry[],
  ) {
    this.beforeMatch = new Int32Array(before.length).fill(-1);
    this.afterMatch = new Int32Array(after.length).fill(-1);
    this.beforeGap = new Int32Array(before.length);
    this.afterGap = new Int32Array(after.length);
  }

  pair(b: number, a: number): void {
    this.beforeMatch[b] = a;
    this.afterMatch[a] = b;
  }

  /** Sorted by the new version's order. */
  pairs(): [number, number][] {
    const pairs: [number, number][] = [];
    this.afterMatch.forEach((b, a) => {
      if (b !== -1) pairs.push([b, a]);
    });
    return pairs;
  }

  /** Headings outweigh all articles together: a chapter stays put, its articles move. */
  weight = ([, a]: readonly [number, number]): number =>
    this.after[a]!.isHeading ? this.after.length + 1 : 1;

  sameGap(b: number, a: number): boolean {
    return this.beforeGap[b] === this.afterGap[a];
  }

  unmatched(side: 'before' | 'after'): number[] {
    const match = side === 'before' ? this.beforeMatch : this.afterMatch;
    const free: number[] = [];
    match.forEach((partner, index) => {
      if (partner === -1) free.push(index);
    });
    return free;
  }
}

function countIds(entries: readonly Entry[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { id } of entries) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** Pass 1: unique identical entries; their in-order chain defines the gaps. */
function matchUnique(m: Matching): void {
  const beforeCounts = countIds(m.before);
  const afterCounts = countIds(m.after);
  const beforeIndex = new Map(m.before.map((entry, index) => [entry.id, index]));
  const unique: [number, number][] = [];
  m.after.forEach(({ id }, a) => {
    if (beforeCounts.get(id) === 1 && afterCounts.get(id) === 1)
      unique.push([beforeIndex.get(id)!, a]);
  });
  const chain = heaviestInOrder(unique, m.before.length, m.weight);
  const beforeKept = new Uint8Array(m.before.length);
  const afterKept = new Uint8Array(m.after.length);
  unique.forEach(([b, a], index) => {
    m.pair(b, a);
    if (chain.has(index)) [beforeKept[b], afterKept[a]] = [1, 1];
  });
  m.beforeGap = gapsOf(beforeKept);
  m.afterGap = gapsOf(afterKept);
}

function gapsOf(kept: Uint8Array): Int32Array {
  const gaps = new Int32Array(kept.length);
  let count = 0;
  kept.forEach((isKept, index) => {
    gaps[index] = count;
    count += isKept;
  });
  return gaps;
}

/**
 * Pairs unmatched entries with equal keys, the k-th old with the k-th new: the order of
 * occurrence decides between repeated keys.
 */
function matchByKey(m: Matching, key: (entry: Entry, gap: number) => string): void {
  const queues = new Map<string, { items: number[]; next: number }>();
  for (const b of m.unmatched('before')) {
    const beforeKey = key(m.before[b]!, m.beforeGap[b]!);
    const queue = queues.get(beforeKey);
    if (queue) queue.items.push(b);
    else queues.set(beforeKey, { items: [b], next: 0 });
  }
  for (const a of m.unmatched('after')) {
    const queue = queues.get(key(m.after[a]!, m.afterGap[a]!));
    const b = queue?.items[queue.next++];
    if (b !== undefined) m.pair(b, a);
  }
}

function groupBy(
  indices: readonly number[],
  key: (index: number) => number,
): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const index of indices) {
    const group = groups.get(key(index));
    if (group) group.push(index);
    else groups.set(key(index), [index]);
  }
  return groups;
}

/**
 * Pairs worth a Jaccard: all of a small gap, and for each new entry the old ones sharing most
 * of its words found in few entries (common words would make the index quadratic).
 */
function candidatePairs(m: Matching, free: { before: number[]; after: number[] }) {
  const candidates: [number, number][] = [];
  const seen = new Set<number>();
  const offer = (b: number, a: number) => {
    const key = b * m.after.length + a;
    if (seen.has(key) || m.before[b]!.group !== m.after[a]!.group) return;
    seen.add(key);
    candidates.push([b, a]);
  };
  const postings = new Map<string, number[]>();
  for (const b of free.before) {
    for (const word of wordsOf(m.before[b]!)) {
      const list = postings.get(word);
      if (list) list.push(b);
      else postings.set(word, [b]);
    }
  }
  const beforeByGap = groupBy(free.before, (b) => m.beforeGap[b]!);
  const afterByGap = groupBy(free.after, (a) => m.afterGap[a]!);
  const shared = new Int32Array(m.before.length);
  for (const a of free.after) {
    const inGap = beforeByGap.get(m.afterGap[a]!) ?? [];
    if (inGap.length * afterByGap.get(m.afterGap[a]!)!.length <= SMALL_GAP_PAIRS) {
      for (const b of inGap) offer(b, a);
    }
    const touched: number[] = [];
    for (const word of wordsOf(m.after[a]!)) {
      const list = postings.get(word) ?? [];
      if (list.length > COMMON_WORD_ENTRIES) continue;
      for (const b of list) if (shared[b]!++ === 0) touched.push(b);
    }
    touched.sort((b1, b2) => shared[b2]! - shared[b1]! || b1 - b2);
    touched.slice(0, CANDIDATES_PER_ENTRY).forEach((b) => offer(b, a));
    for (const b of touched) shared[b] = 0;
  }
  return candidates;
}

/** Pass 3: entries edited in place or moved, the surest pairs first. */
function matchSimilar(m: Matching): void {
  const free = { before: m.unmatched('before'), after: m.unmatched('after') };
  const scored = candidatePairs(m, free)
    .map(([b, a]) => ({
      b,
      a,
      similarity: jaccard(wordsOf(m.before[b]!), wordsOf(m.after[a]!)),
      inPlace: Number(m.sameGap(b, a)),
      sameAnchor: Number(m.before[b]!.unit.anchor === m.after[a]!.unit.anchor),
    }))
    .filter(({ similarity }) => similarity >= SIMILAR)
    .sort(
      (x, y) =>
        y.inPlace - x.inPlace ||
        y.similarity - x.similarity ||
        y.sameAnchor - x.sameAnchor ||
        x.a - y.a ||
        x.b - y.b,
    );
  for (const { b, a } of scored) {
    if (m.beforeMatch[b] === -1 && m.afterMatch[a] === -1) m.pair(b, a);
  }
}

/**
 * Pass 4: the same number in the same gap, rewritten beyond recognition. Provisions blocks have
 * no number; the one left in a gap is taken for the one it replaces.
 */
function placeKey(entry: Entry, gap: number): string {
  return `${gap}:${entry.group}:${entry.group === 'provisions' ? '' : entry.unit.anchor}`;
}

const tokenPattern = /[\p{L}\p{M}\p{N}]+|\s+|[^\p{L}\p{M}\p{N}\s]/gu;

type Run = { equal: string } | { deleted: string; inserted: string };

/**
 * Runs of equal text no longer than the changes on both sides of them ("a b" → "x y" keeps
 * the space) are folded into those changes: a reader gets one phrase replaced, not a mosaic.
 * Line breaks are kept, so every paragraph and point stays on its own line.
 */
function foldShortEqualities(runs: readonly Run[]): Run[] {
  const folded: Run[] = [];
  const size = (run: { deleted: string; inserted: string }) =>
    Math.max(run.deleted.length, run.inserted.length);
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const last = folded.at(-1);
    const next = runs[i + 1];
    if (
      'equal' in run &&
      last &&
      !('equal' in last) &&
      next &&
      !('equal' in next) &&
      !run.equal.includes('\n') &&
      run.equal.length <= size(last) &&
      run.equal.length <= size(next)
    ) {
      last.deleted += run.equal + next.deleted;
      last.inserted += run.equal + next.inserted;
      i++;
    } else folded.push('equal' in run ? run : { ...run });
  }
  return folded;
}

function whole(op: Segment['op'], text: string): Segment[] {
  return text === '' ? [] : [{ op, text }];
}

function rewrite(before: string, after: string): Segment[] {
  return [...whole('delete', before), ...whole('insert', after)];
}

/**
 * The word-level difference: words (any script, so Cyrillic words stay whole), runs of space
 * and single punctuation marks are the tokens, so a comma turned semicolon shows. Spends from
 * the redline's budget; past it, or past the edits it allows, the old text is deleted whole
 * and the new inserted.
 */
function wordDiff(before: string, after: string, budget: { remaining: number }): Segment[] {
  const oldTokens = before.match(tokenPattern) ?? [];
  const newTokens = after.match(tokenPattern) ?? [];
  const size = oldTokens.length + newTokens.length;
  const maxEditLength = Math.min(size, Math.floor(budget.remaining / Math.max(size, 1)));
  const changes =
    maxEditLength > 0 ? diffArrays(oldTokens, newTokens, { maxEditLength }) : undefined;
  if (!changes) {
    budget.remaining -= size * maxEditLength;
    return rewrite(before, after);
  }
  const runs: Run[] = [];
  let edits = 0;
  for (const change of changes) {
    const text = change.value.join('');
    const last = runs.at(-1);
    if (!change.added && !change.removed) runs.push({ equal: text });
    else {
      edits += change.count;
      const run = last && !('equal' in last) ? last : { deleted: '', inserted: '' };
      if (run !== last) runs.push(run);
      if (change.added) run.inserted += text;
      else run.deleted += text;
    }
  }
  budget.remaining -= size * (edits + 1);
  return foldShortEqualities(runs).flatMap((run) =>
    'equal' in run
      ? whole('equal', run.equal)
      : [...whole('delete', run.deleted), ...whole('insert', run.inserted)],
  );
}

function versionOf(unit: Unit): UnitVersion {
  return { kind: unit.kind, anchor: unit.anchor, label: unit.label };
}

function matchedEntry(
  before: Entry,
  after: Entry,
  moved: boolean,
  budget: { remaining: number },
): RedlineEntry {
  const changed = before.text !== after.text;
  const rewritten = changed && jaccard(wordsOf(before), wordsOf(after)) < REWRITTEN;
  return {
    status: changed ? 'changed' : 'unchanged',
    before: versionOf(before.unit),
    after: versionOf(after.unit),
    renumbered: before.unit.number !== after.unit.number,
    moved,
    segments: !changed
      ? whole('equal', after.text)
      : rewritten
        ? rewrite(before.text, after.text)
        : wordDiff(before.text, after.text, budget),
  };
}

function unmatchedEntry(entry: Entry, status: 'added' | 'deleted'): RedlineEntry {
  const version = versionOf(entry.unit);
  return {
    status,
    before: status === 'deleted' ? version : null,
    after: status === 'added' ? version : null,
    renumbered: false,
    moved: false,
    segments: whole(status === 'added' ? 'insert' : 'delete', entry.text),
  };
}

function summarise(entries: readonly RedlineEntry[]): RedlineSummary {
  const summary = { unchanged: 0, changed: 0, added: 0, deleted: 0, moved: 0, renumbered: 0 };
  for (const entry of entries) {
    summary[entry.status]++;
    if (entry.moved) summary.moved++;
    if (entry.renumbered) summary.renumbered++;
  }
  return summary;
}

/**
 * The redline from `before` to `after` (top-level units as `recogniseStructure` returns them),
 * in the new version's order with each deleted entry after the new entry that matches the kept
 * entry preceding it in the old version, so a reader walks the draft top to bottom.
 */
export function compareDrafts(before: readonly Unit[], after: readonly Unit[]): Redline {
  const ids = new Map<string, number>();
  const m = new Matching(entriesOf(before, ids), entriesOf(after, ids));
  matchUnique(m);
  // Pass 2: repeated identical entries ("(Отм.)"), within their gap first.
  matchByKey(m, (entry, gap) => `${gap}:${entry.id}`);
  matchByKey(m, (entry) => `${entry.id}`);
  matchSimilar(m);
  matchByKey(m, placeKey);
  const pairs = m.pairs();
  const chain = heaviestInOrder(pairs, m.before.length, m.weight);
  const moved = new Uint8Array(m.after.length);
  pairs.forEach(([, a], index) => {
    if (!chain.has(index)) moved[a] = 1;
  });
  // deletedAfter[a + 1]: deleted entries shown after new entry a; deletedAfter[0]: first.
  const deletedAfter: number[][] = Array.from({ length: m.after.length + 1 }, () => []);
  let place = 0;
  m.beforeMatch.forEach((a, b) => {
    if (a === -1) deletedAfter[place]!.push(b);
    else if (!moved[a]) place = a + 1;
  });
  const budget = { remaining: WORD_DIFF_BUDGET };
  const entries: RedlineEntry[] = [];
  const showDeleted = (place: number) => {
    for (const b of deletedAfter[place]!) entries.push(unmatchedEntry(m.before[b]!, 'deleted'));
  };
  showDeleted(0);
  m.after.forEach((entry, a) => {
    const b = m.afterMatch[a]!;
    entries.push(
      b === -1
        ? unmatchedEntry(entry, 'added')
        : matchedEntry(m.before[b]!, entry, moved[a] === 1, budget),
    );
    showDeleted(a + 1);
  });
  return { entries, summary: summarise(entries) };
}
