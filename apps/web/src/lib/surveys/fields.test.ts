import { describe, expect, it } from 'vitest';
import { chosenOptions, questionDisplays, visibleQuestionIds } from './fields';

const q = (id: string, showIf: { questionId: string; optionIds: string[] } | null = null) => ({
  id,
  showIf,
});

describe('visibleQuestionIds', () => {
  const questions = [
    q('a'),
    q('b', { questionId: 'a', optionIds: ['no'] }),
    q('c', { questionId: 'b', optionIds: ['x'] }),
  ];

  it('shows a conditional question when the named answer includes one of its options', () => {
    expect([...visibleQuestionIds(questions, { a: { optionIds: ['no'] } })]).toEqual(['a', 'b']);
    expect([...visibleQuestionIds(questions, { a: { optionIds: ['yes'] } })]).toEqual(['a']);
  });

  it('hides a question whose condition names a hidden question', () => {
    const answers = { a: { optionIds: ['yes'] }, b: { optionIds: ['x'] } };
    expect(visibleQuestionIds(questions, answers).has('c')).toBe(false);
  });
});

describe('questionDisplays', () => {
  const sections = [
    { questions: [q('a'), q('b', { questionId: 'a', optionIds: ['no'] })] },
    { questions: [q('c', { questionId: 'a', optionIds: ['no'] }), q('d')] },
  ];

  it('marks a condition on the same section as live and decides earlier sections from the answers', () => {
    expect(questionDisplays(sections, 0, {}).get('b')).toBe('conditional');
    expect(questionDisplays(sections, 1, { a: { optionIds: ['yes'] } }).get('c')).toBe('hidden');
    expect(questionDisplays(sections, 1, { a: { optionIds: ['no'] } }).get('c')).toBe('shown');
    expect(questionDisplays(sections, 1, {}).get('d')).toBe('shown');
  });
});

describe('chosenOptions', () => {
  it('reads the ticked options of choice questions, leaving out "other"', () => {
    const form = new FormData();
    form.append('q.a', 'one');
    form.append('q.a', '__other');
    expect(
      chosenOptions(form, [
        { id: 'a', kind: 'multiple_choice' },
        { id: 'b', kind: 'short_text' },
      ]),
    ).toEqual({ a: { optionIds: ['one'] } });
  });
});
