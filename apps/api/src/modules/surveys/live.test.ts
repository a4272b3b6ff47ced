import { surveyResultsChangedSchema, type SurveyResults } from '@sabor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../test/fixtures';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';
import { quickUsers, type QuickUser } from '../events/test-fixtures';
import { publishedSurvey, sampleAnswers, submit } from './test-fixtures';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let people: QuickUser[];

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  admin = await signUp(t, { role: 'admin' });
  people = await quickUsers(t, 4, 'survey-live');
}, 120_000);
afterAll(() => t.close());

describe('live survey results over the socket', () => {
  it('tells an anonymous results page each new and edited response while results are live', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { resultsVisibility: 'live' });
    const topic = `survey:${survey.id}`;
    const page = await connect(t);
    expect(await page.subscribe([topic])).toMatchObject({ type: 'subscribed', topics: [topic] });

    for (const person of people.slice(0, 2)) {
      expect(
        (await submit(t, survey.id, sampleAnswers(ids), { cookie: person.cookie })).statusCode,
      ).toBe(201);
    }
    await page.nth('event', 2);
    const edited = await submit(t, survey.id, sampleAnswers(ids), {
      cookie: people[0]!.cookie,
      method: 'PUT',
    });
    expect(edited.statusCode).toBe(200);
    await page.nth('event', 3);
    const counts = page
      .events(topic)
      .map((event) => surveyResultsChangedSchema.parse(event.payload).responseCount);
    expect(counts).toEqual([1, 2, 2]);
    page.socket.close();
  });

  it('publishes nothing while results are not public, so a socket learns nothing early', async () => {
    const hidden = await publishedSurvey(t, admin.cookie, { resultsVisibility: 'after_close' });
    const live = await publishedSurvey(t, admin.cookie, { resultsVisibility: 'live' });
    const page = await connect(t);
    await page.subscribe([`survey:${hidden.survey.id}`, `survey:${live.survey.id}`]);
    const person = people[3]!;
    await submit(t, hidden.survey.id, sampleAnswers(hidden.ids), { cookie: person.cookie });
    await submit(t, live.survey.id, sampleAnswers(live.ids), { cookie: person.cookie });
    // Events arrive in commit order: once the live survey's is here, the other's would have been too.
    await page.nth('event', 1);
    expect(page.events().map((event) => event.topic)).toEqual([`survey:${live.survey.id}`]);
    page.socket.close();
  });

  it('gives the results a bookmark: following from it replays a response stored before the socket opened', async () => {
    const { survey, ids } = await publishedSurvey(t, admin.cookie, { resultsVisibility: 'live' });
    const read = await t.inject({ method: 'GET', url: `/api/surveys/${survey.id}/results` });
    const { lastEventId } = read.json<SurveyResults>();
    // Stored between the page's render and its socket.
    await submit(t, survey.id, sampleAnswers(ids), { cookie: people[1]!.cookie });
    const page = await connect(t);
    await page.subscribe([`survey:${survey.id}`], lastEventId);
    const event = await page.nth('event', 1);
    expect(surveyResultsChangedSchema.parse(event.payload)).toEqual({
      type: 'results_changed',
      responseCount: 1,
    });
    page.socket.close();
  });
});
