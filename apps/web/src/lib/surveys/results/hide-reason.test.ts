import { describe, expect, it } from 'vitest';
import { limits } from '@sabor/contracts/values';
import { hideReasonFromForm, maxHideReasonText } from './hide-reason';

describe('hideReasonFromForm', () => {
  it('sends the template in the moderator’s language, with their words after it', () => {
    expect(hideReasonFromForm({ reasonCode: 'personal_data', reasonText: '' }, 'bg')).toEqual({
      ok: true,
      reason: 'Лични данни',
    });
    expect(
      hideReasonFromForm({ reasonCode: 'personal_data', reasonText: '  phone\n number ' }, 'en'),
    ).toEqual({ ok: true, reason: 'Personal data: phone number' });
  });

  it('takes the moderator’s words alone for "other", and requires them', () => {
    expect(hideReasonFromForm({ reasonCode: 'other', reasonText: 'Реклама' }, 'bg')).toEqual({
      ok: true,
      reason: 'Реклама',
    });
    expect(hideReasonFromForm({ reasonCode: 'other', reasonText: '   ' }, 'bg')).toEqual({
      ok: false,
      fields: { reasonText: 'required' },
    });
  });

  it('requires a template and refuses unknown ones', () => {
    expect(hideReasonFromForm({ reasonCode: '', reasonText: 'x' }, 'bg')).toEqual({
      ok: false,
      fields: { reasonCode: 'required' },
    });
    expect(hideReasonFromForm({ reasonCode: 'spam', reasonText: '' }, 'en').ok).toBe(false);
  });

  it('keeps the joined reason within the API’s limit', () => {
    const longest = hideReasonFromForm(
      { reasonCode: 'offensive', reasonText: 'я'.repeat(maxHideReasonText) },
      'bg',
    );
    expect(longest.ok && longest.reason.length).toBeLessThanOrEqual(limits.surveyAnswerHideReason);
    expect(
      hideReasonFromForm(
        { reasonCode: 'offensive', reasonText: 'я'.repeat(maxHideReasonText + 1) },
        'bg',
      ),
    ).toEqual({ ok: false, fields: { reasonText: 'too_long' } });
  });
});
