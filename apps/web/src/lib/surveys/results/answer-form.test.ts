import { describe, expect, it } from 'vitest';
import { answerFormFailure, answerFormOutcome } from './answer-form';

const answerId = '00000000-0000-4000-8000-000000000001';
const error = { code: 'validation_failed', message: 'Проверете полетата.' };

describe('answer forms', () => {
  it('reads a failed hide with what the moderator chose', () => {
    expect(
      answerFormFailure({ action: 'hide', answerId, error, reasonCode: 'other', reasonText: '' }),
    ).toEqual({ action: 'hide', answerId, error, reasonCode: 'other', reasonText: '' });
    expect(answerFormOutcome({ action: 'hide', answerId, error })).toBeNull();
  });

  it('reads a successful restore as an outcome, not a failure', () => {
    const form = { action: 'restore', answerId, done: true };
    expect(answerFormOutcome(form)).toEqual({ action: 'restore', answerId });
    expect(answerFormFailure(form)).toBeNull();
  });

  it('ignores other answers of the page', () => {
    expect(answerFormFailure(null)).toBeNull();
    expect(answerFormOutcome({ registration: {} })).toBeNull();
    expect(answerFormFailure({ action: 'approve', answerId, error })).toBeNull();
  });
});
