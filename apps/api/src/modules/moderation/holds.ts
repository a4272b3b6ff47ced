import type { HoldReason } from '@sabor/contracts';
import { comments, users, type Executor, type ModerationSettingsRow } from '@sabor/db';
import { and, asc, eq, sql } from 'drizzle-orm';
import { retryLater } from '../../errors';

/** Why a comment is held when it is posted, and the listed words found in it (if any). */
export interface Hold {
  reason: HoldReason;
  words: string[];
}

/** What the rules need to know about the consultation posted to. */
export interface ScreenedConsultation {
  premoderated: boolean;
}

const minuteMs = 60 * 1000;
const hourMs = 60 * minuteMs;

/** A letter, digit or combining mark: what a listed word may not be glued to. */
const wordCharacter = String.raw`[\p{L}\p{N}\p{M}]`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A listed word or phrase as a case-insensitive pattern that matches it only whole: `\b` knows
 * only ASCII letters, so the boundaries are Unicode letters (Cyrillic included). The words of a
 * phrase may be separated by any whitespace.
 */
function listedWordPattern(word: string): RegExp | null {
  const parts = word.trim().split(/\s+/u).filter(Boolean).map(escapeRegExp);
  if (parts.length === 0) return null;
  return new RegExp(
    `(?<!${wordCharacter})${parts.join(String.raw`\s+`)}(?!${wordCharacter})`,
    'iu',
  );
}

// The lists change rarely and are read on every post: keep the compiled patterns of the last one.
let compiled: { key: string; patterns: { word: string; pattern: RegExp }[] } | undefined;

function patternsOf(settings: Pick<ModerationSettingsRow, 'wordsBg' | 'wordsEn'>) {
  const words = [...settings.wordsBg, ...settings.wordsEn];
  const key = JSON.stringify(words);
  if (compiled?.key !== key) {
    const patterns = words.flatMap((word) => {
      const pattern = listedWordPattern(word);
      return pattern ? [{ word, pattern }] : [];
    });
    compiled = { key, patterns };
  }
  return compiled.patterns;
}

/** The words of the Bulgarian and English lists that occur in `text`, each once, as listed. */
export function findListedWords(
  text: string,
  settings: Pick<ModerationSettingsRow, 'wordsBg' | 'wordsEn'>,
): string[] {
  const found = new Set<string>();
  for (const { word, pattern } of patternsOf(settings)) {
    if (pattern.test(text)) found.add(word);
  }
  return [...found];
}

const linkPattern = new RegExp(
  String.raw`https?:\/\/|(?<!${wordCharacter})www\.|\[[^\]\n]*\]\([^)\n]*\)`,
  'iu',
);

/** Whether the text has a link: an http(s) address, a `www.` address or a Markdown link. */
export function hasLink(text: string): boolean {
  return linkPattern.test(text);
}

/** An account is new for `newAccountHours` after sign-up. */
export function isNewAccount(
  createdAt: Date,
  settings: Pick<ModerationSettingsRow, 'newAccountHours'>,
  now = Date.now(),
): boolean {
  return now - createdAt.getTime() < settings.newAccountHours * hourMs;
}

/**
 * The author, locked against their own concurrent posts (two tabs, a script): the rate limits and
 * the "first comments" count must see every earlier post of theirs. `no key update` leaves rows
 * that merely reference the user (sessions, supports) free to be written.
 */
async function lockAuthor(tx: Executor, authorId: string) {
  const [row] = await tx
    .select({ id: users.id, role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, authorId))
    .for('no key update');
  if (!row) throw new Error(`author ${authorId} not found`);
  return row;
}

/** The author's comments in the last minute and in all (deleted ones count too). */
async function countAuthorComments(tx: Executor, authorId: string) {
  const [row] = await tx
    .select({
      lastMinute:
        sql<number>`count(*) filter (where ${comments.createdAt} > now() - interval '1 minute')`.mapWith(
          Number,
        ),
      total: sql<number>`count(*)`.mapWith(Number),
    })
    .from(comments)
    .where(eq(comments.authorId, authorId));
  return row ?? { lastMinute: 0, total: 0 };
}

/**
 * When the per-minute limit lets the author post again: once enough of their posts of the last
 * minute are a minute old that fewer than `perMinute` remain in it. Read on the database's clock,
 * the one that stamped the posts.
 */
async function perMinuteRetryAt(
  tx: Executor,
  authorId: string,
  lastMinute: number,
  perMinute: number,
): Promise<Date> {
  const [row] = await tx
    .select({
      at: sql<Date>`${comments.createdAt} + interval '1 minute'`.mapWith(comments.createdAt),
    })
    .from(comments)
    .where(
      and(
        eq(comments.authorId, authorId),
        sql`${comments.createdAt} > now() - interval '1 minute'`,
      ),
    )
    .orderBy(asc(comments.createdAt))
    .offset(lastMinute - perMinute)
    .limit(1);
  return row?.at ?? new Date(Date.now() + minuteMs);
}

/** The limits for new accounts: when the author may post again, or null when they may now. */
async function postingLimitLifts(
  tx: Executor,
  settings: ModerationSettingsRow,
  authorId: string,
  posted: { lastMinute: number; total: number },
  newUntil: Date,
): Promise<Date | null> {
  const lifts: Date[] = [];
  if (settings.newAccountPerMinute > 0 && posted.lastMinute >= settings.newAccountPerMinute) {
    lifts.push(
      await perMinuteRetryAt(tx, authorId, posted.lastMinute, settings.newAccountPerMinute),
    );
  }
  // The cap counts every post while the account is new: it lifts when the account is no longer.
  if (settings.newAccountPerDay > 0 && posted.total >= settings.newAccountPerDay) {
    lifts.push(newUntil);
  }
  if (lifts.length === 0) return null;
  // Every limit that applies must have lifted, and none applies once the account is not new.
  const latest = Math.max(...lifts.map((at) => at.getTime()));
  return new Date(Math.min(latest, newUntil.getTime()));
}

/**
 * The automatic protection applied to a comment about to be posted, in its transaction: a new
 * account over its rate limits is refused (429 `comment_rate_limited`, nothing written); otherwise
 * the answer is why the comment is held for a moderator, or null when it is published at once.
 * Moderators and admins are never held or limited.
 */
export async function screenComment(
  tx: Executor,
  settings: ModerationSettingsRow,
  authorId: string,
  consultation: ScreenedConsultation,
  body: string,
): Promise<Hold | null> {
  const author = await lockAuthor(tx, authorId);
  if (author.role !== 'resident') return null;
  const newAccount = isNewAccount(author.createdAt, settings);
  const posted = newAccount ? await countAuthorComments(tx, authorId) : null;
  if (posted) {
    const newUntil = new Date(author.createdAt.getTime() + settings.newAccountHours * hourMs);
    const retryAt = await postingLimitLifts(tx, settings, authorId, posted, newUntil);
    if (retryAt) throw retryLater('comment_rate_limited', retryAt);
  }
  const words = findListedWords(body, settings);
  const reason: HoldReason | null = consultation.premoderated
    ? 'premoderation'
    : posted && posted.total < settings.newAccountHeldComments
      ? 'new_account'
      : words.length > 0
        ? 'word_list'
        : posted && settings.holdLinksFromNewAccounts && hasLink(body)
          ? 'link_from_new_account'
          : null;
  return reason ? { reason, words } : null;
}
