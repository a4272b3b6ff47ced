import type { Survey } from '@sabor/contracts';
import { fail } from '@sveltejs/kit';
import type { FormError } from '$lib/form-error';
import { formText } from '$lib/server/form';
import {
  type Answers,
  localProblemsError,
  mergeSection,
  parseCarried,
  readAnswers,
  sectionIndex,
} from './survey-answers.server';
import type { Locale } from '@sabor/contracts';

/** What an answering form's action answers: the section to show and every answer so far. */
export interface SurveyFormState {
  section: number;
  answers: Answers;
  mode: 'create' | 'edit' | 'preview';
  idempotencyKey: string;
  error?: FormError;
}

export type SurveyIntent = 'back' | 'next' | 'submit';

/**
 * Reads a posted section: the carried answers with this section's fields merged in, and where
 * Back or Next lead. Problems the web finds itself (a duplicate place in a ranking, a number that
 * is not one) keep the visitor on this section with the message.
 */
export function readSectionPost(form: FormData, survey: Survey, locale: Locale) {
  const section = sectionIndex(formText(form, 'section'), survey.sections.length);
  const questions = survey.sections[section]?.questions ?? [];
  const { answers: sectionAnswers, problems } = readAnswers(form, questions);
  const answers = mergeSection(parseCarried(formText(form, 'carried')), questions, sectionAnswers);
  const rawIntent = formText(form, 'intent');
  const intent: SurveyIntent = rawIntent === 'back' || rawIntent === 'submit' ? rawIntent : 'next';
  const modeText = formText(form, 'mode');
  const mode: SurveyFormState['mode'] =
    modeText === 'edit' || modeText === 'preview' ? modeText : 'create';
  const state: SurveyFormState = {
    section,
    answers,
    mode,
    // Every rendered form gets its own key: a corrected form is a new request.
    idempotencyKey: crypto.randomUUID(),
  };
  if (intent === 'back') {
    return { intent, state: { ...state, section: Math.max(section - 1, 0) }, failure: null };
  }
  if (Object.keys(problems).length > 0) {
    const error = localProblemsError(locale, problems);
    return { intent, state, failure: fail(400, { ...state, error }) };
  }
  if (intent === 'next') {
    const next = Math.min(section + 1, survey.sections.length - 1);
    return { intent, state: { ...state, section: next }, failure: null };
  }
  return { intent, state, failure: null };
}
