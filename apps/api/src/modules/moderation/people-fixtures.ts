// Test fixtures for the moderation tests about people: comments, and
// accounts old and verified enough that the new-account rules and mail rules stay out of the way.
import type { Comment, Locale } from '@sabor/contracts';
import { users } from '@sabor/db';
import { eq, sql } from 'drizzle-orm';
import { signUp, type TestApp } from '../../../test/helper';

export type Person = Awaited<ReturnType<typeof signUp>>;

/** A person whose account is a month old, with a verified address, in `locale`. */
export async function settledPerson(
  t: TestApp,
  options: Parameters<typeof signUp>[1] & { locale?: Locale; verified?: boolean } = {},
): Promise<Person> {
  const { locale = 'bg', verified = true, ...signUpOptions } = options;
  const person = await signUp(t, signUpOptions);
  await t.app.db
    .update(users)
    .set({
      locale,
      createdAt: sql`now() - interval '30 days'`,
      emailVerifiedAt: verified ? sql`now()` : null,
    })
    .where(eq(users.id, person.id));
  return person;
}

/** Posts a proposal as `author`; the response as the API gave it. */
export function postComment(t: TestApp, consultationId: string, author: Person, body: string) {
  return t.inject({
    method: 'POST',
    url: `/api/consultations/${consultationId}/comments`,
    cookie: author.cookie,
    payload: { body, stance: 'for' },
  });
}

export async function postCommentOk(
  t: TestApp,
  consultationId: string,
  author: Person,
  body = 'Предлагам повече дървета.',
): Promise<Comment> {
  const response = await postComment(t, consultationId, author, body);
  if (response.statusCode !== 201) throw new Error(`comment failed: ${response.body}`);
  return response.json();
}
