import type {
  FieldErrorCode,
  Survey,
  SurveyInput,
  SurveyOptionRole,
  SurveyQuestionKind,
} from '@sabor/contracts';
import {
  surveyAudiences,
  surveyOptionRoles,
  surveyQuestionKinds,
  surveyResultsVisibilities,
} from '@sabor/contracts/values';
import { isoToSofiaLocal, sofiaLocalToIso } from '$lib/local-time';
import { formText } from '$lib/server/form';
import {
  choiceKinds,
  optionKinds,
  rangeKinds,
  type OptionDraft,
  type QuestionDraft,
  type SectionDraft,
  type SurveyDraft,
} from './survey-draft';

/*
 * The survey builder's form ⇄ structure logic. The whole survey is one form whose field names are
 * the API's paths (`sections.0.questions.2.options.1.labelBg`), so the API's field errors land on
 * the right inputs. Structure commands (add, remove, move, change kind) are submit buttons
 * `name="command"`: the form is read into a draft, the command applied, the draft shown again;
 * nothing is saved until Save. Ids are kept from the form (new things get a fresh UUID here), so
 * a PUT updates what exists and a condition can point at a question not yet saved.
 */

type NewId = () => string;
const randomId: NewId = () => crypto.randomUUID();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const oneOf = <T extends string>(values: readonly T[], value: string, fallback: T): T =>
  values.find((v) => v === value) ?? fallback;

function newOption(role: SurveyOptionRole, newId: NewId): OptionDraft {
  return { id: newId(), role, labelBg: '', labelEn: '' };
}

/** The options a question of `kind` starts with, or keeps when its kind changes. */
function optionsFor(
  kind: SurveyQuestionKind,
  options: OptionDraft[],
  newId: NewId,
  pad = true,
): OptionDraft[] {
  if (optionKinds.has(kind)) {
    const kept: OptionDraft[] = options.map((o) => ({ ...o, role: 'option' as const }));
    while (pad && kept.length < 2) kept.push(newOption('option', newId));
    return kept;
  }
  if (kind === 'matrix') {
    const kept = options.map((o) => (o.role === 'option' ? { ...o, role: 'row' as const } : o));
    if (pad && !kept.some((o) => o.role === 'row')) kept.push(newOption('row', newId));
    if (pad && !kept.some((o) => o.role === 'column')) kept.push(newOption('column', newId));
    return kept;
  }
  return [];
}

export function newQuestion(kind: SurveyQuestionKind, newId: NewId = randomId): QuestionDraft {
  return {
    id: newId(),
    kind,
    required: false,
    textBg: '',
    textEn: '',
    helpBg: '',
    helpEn: '',
    allowOther: false,
    min: kind === 'scale' ? '1' : '',
    max: kind === 'scale' ? '5' : '',
    minLabelBg: '',
    minLabelEn: '',
    maxLabelBg: '',
    maxLabelEn: '',
    showIf: [],
    options: optionsFor(kind, [], newId),
  };
}

function newSection(newId: NewId): SectionDraft {
  return { id: newId(), titleBg: '', titleEn: '', questions: [] };
}

/** A new survey: one section with one single-choice question. */
export function newSurveyDraft(newId: NewId = randomId): SurveyDraft {
  return {
    titleBg: '',
    titleEn: '',
    introBg: '',
    introEn: '',
    thankYouBg: '',
    thankYouEn: '',
    opensAt: '',
    closesAt: '',
    audience: 'residents',
    resultsVisibility: 'after_close',
    sections: [{ ...newSection(newId), questions: [newQuestion('single_choice', newId)] }],
  };
}

const text = (value: string | null | undefined) => value ?? '';
const numberText = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);

export function draftFromSurvey(survey: Survey): SurveyDraft {
  return {
    titleBg: survey.titleBg,
    titleEn: text(survey.titleEn),
    introBg: survey.introBg,
    introEn: text(survey.introEn),
    thankYouBg: survey.thankYouBg,
    thankYouEn: text(survey.thankYouEn),
    opensAt: survey.opensAt ? isoToSofiaLocal(survey.opensAt) : '',
    closesAt: survey.closesAt ? isoToSofiaLocal(survey.closesAt) : '',
    audience: survey.audience,
    resultsVisibility: survey.resultsVisibility,
    sections: survey.sections.map((s) => ({
      id: s.id,
      titleBg: s.titleBg,
      titleEn: text(s.titleEn),
      questions: s.questions.map((q) => ({
        id: q.id,
        kind: q.kind,
        required: q.required,
        textBg: q.textBg,
        textEn: text(q.textEn),
        helpBg: text(q.helpBg),
        helpEn: text(q.helpEn),
        allowOther: q.allowOther,
        min: numberText(q.min),
        max: numberText(q.max),
        minLabelBg: text(q.minLabelBg),
        minLabelEn: text(q.minLabelEn),
        maxLabelBg: text(q.maxLabelBg),
        maxLabelEn: text(q.maxLabelEn),
        showIf: q.showIf
          ? q.showIf.optionIds.map((optionId) => `${q.showIf?.questionId}:${optionId}`)
          : [],
        options: q.options.map((o) => ({
          id: o.id,
          role: o.role,
          labelBg: o.labelBg,
          labelEn: text(o.labelEn),
        })),
      })),
    })),
  };
}

/** The indexes `prefix.N.…` used in the form, in order (a form may skip numbers). */
function indexes(form: FormData, prefix: string): number[] {
  const pattern = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.(\\d{1,3})\\.`);
  const found = new Set<number>();
  for (const key of form.keys()) {
    const match = pattern.exec(key);
    if (match) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** A posted id, or a new one when it is missing or not a UUID. */
function idOf(form: FormData, name: string, newId: NewId): string {
  const value = formText(form, name);
  return uuidPattern.test(value) ? value.toLowerCase() : newId();
}

/** Reads the builder form into a draft, keeping the posted ids and the order of the fields. */
export function readSurveyForm(form: FormData, newId: NewId = randomId): SurveyDraft {
  const sections = indexes(form, 'sections').map((s) => {
    const sp = `sections.${s}`;
    const questions = indexes(form, `${sp}.questions`).map((q): QuestionDraft => {
      const qp = `${sp}.questions.${q}`;
      const at = (field: string) => formText(form, `${qp}.${field}`);
      const options = indexes(form, `${qp}.options`).map((k): OptionDraft => ({
        id: idOf(form, `${qp}.options.${k}.id`, newId),
        role: oneOf(surveyOptionRoles, at(`options.${k}.role`), 'option'),
        labelBg: at(`options.${k}.labelBg`),
        labelEn: at(`options.${k}.labelEn`),
      }));
      return {
        id: idOf(form, `${qp}.id`, newId),
        kind: oneOf(surveyQuestionKinds, at('kind'), 'single_choice'),
        required: form.get(`${qp}.required`) !== null && at('required') !== 'false',
        textBg: at('textBg'),
        textEn: at('textEn'),
        helpBg: at('helpBg'),
        helpEn: at('helpEn'),
        allowOther: form.get(`${qp}.allowOther`) !== null && at('allowOther') !== 'false',
        min: at('min'),
        max: at('max'),
        minLabelBg: at('minLabelBg'),
        minLabelEn: at('minLabelEn'),
        maxLabelBg: at('maxLabelBg'),
        maxLabelEn: at('maxLabelEn'),
        showIf: form
          .getAll(`${qp}.showIf`)
          .filter((v): v is string => typeof v === 'string' && v !== ''),
        options,
      };
    });
    return {
      id: idOf(form, `${sp}.id`, newId),
      titleBg: formText(form, `${sp}.titleBg`),
      titleEn: formText(form, `${sp}.titleEn`),
      questions,
    };
  });
  return {
    titleBg: formText(form, 'titleBg'),
    titleEn: formText(form, 'titleEn'),
    introBg: formText(form, 'introBg'),
    introEn: formText(form, 'introEn'),
    thankYouBg: formText(form, 'thankYouBg'),
    thankYouEn: formText(form, 'thankYouEn'),
    opensAt: formText(form, 'opensAt'),
    closesAt: formText(form, 'closesAt'),
    audience: oneOf(surveyAudiences, formText(form, 'audience'), 'residents'),
    resultsVisibility: oneOf(
      surveyResultsVisibilities,
      formText(form, 'resultsVisibility'),
      'after_close',
    ),
    sections,
  };
}

/** A number as typed ("1,5" too); undefined when it is not one. */
export function parseNumber(value: string): number | null | undefined {
  const trimmed = value.trim().replace(',', '.');
  if (trimmed === '') return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

const orNull = (value: string) => (value.trim() === '' ? null : value);

export type DraftResult =
  { ok: true; input: SurveyInput } | { ok: false; fields: Record<string, FieldErrorCode> };

/**
 * The API's body for a draft, sending only the settings each kind uses (a kind changed without
 * pressing its button still saves sensibly). Problems the web sees itself (a number or date that
 * is not one, a condition over two questions) are returned keyed by field name.
 */
export function draftToInput(draft: SurveyDraft): DraftResult {
  const fields: Record<string, FieldErrorCode> = {};
  const instant = (name: 'opensAt' | 'closesAt') => {
    if (draft[name].trim() === '') return null;
    const iso = sofiaLocalToIso(draft[name]);
    if (!iso) fields[name] = 'invalid';
    return iso;
  };
  const opensAt = instant('opensAt');
  const closesAt = instant('closesAt');
  const sections = draft.sections.map((section, s) => ({
    id: section.id,
    titleBg: section.titleBg,
    titleEn: orNull(section.titleEn),
    questions: section.questions.map((q, i) => {
      const path = `sections.${s}.questions.${i}`;
      const ranged = rangeKinds.has(q.kind);
      const number = (name: 'min' | 'max') => {
        if (!ranged) return null;
        const value = parseNumber(q[name]);
        if (value === undefined) {
          fields[`${path}.${name}`] = 'invalid';
          return null;
        }
        return value;
      };
      const scale = q.kind === 'scale';
      const picks = q.showIf.map((value) => value.split(':'));
      const conditionQuestions = new Set(picks.map(([questionId]) => questionId));
      if (conditionQuestions.size > 1 || picks.some((p) => p.length !== 2)) {
        fields[`${path}.showIf`] = 'invalid';
      }
      const [conditionQuestion] = conditionQuestions;
      const options = optionKinds.has(q.kind)
        ? q.options.map((o) => ({ ...o, role: 'option' as const }))
        : q.kind === 'matrix'
          ? q.options
          : [];
      return {
        id: q.id,
        kind: q.kind,
        required: q.required,
        textBg: q.textBg,
        textEn: orNull(q.textEn),
        helpBg: orNull(q.helpBg),
        helpEn: orNull(q.helpEn),
        allowOther: choiceKinds.has(q.kind) && q.allowOther,
        min: number('min'),
        max: number('max'),
        minLabelBg: scale ? orNull(q.minLabelBg) : null,
        minLabelEn: scale ? orNull(q.minLabelEn) : null,
        maxLabelBg: scale ? orNull(q.maxLabelBg) : null,
        maxLabelEn: scale ? orNull(q.maxLabelEn) : null,
        showIf:
          conditionQuestion && conditionQuestions.size === 1
            ? { questionId: conditionQuestion, optionIds: picks.map(([, optionId]) => optionId!) }
            : null,
        options: options.map((o) => ({
          id: o.id,
          role: o.role,
          labelBg: o.labelBg,
          labelEn: orNull(o.labelEn),
        })),
      };
    }),
  }));
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return {
    ok: true,
    input: {
      titleBg: draft.titleBg,
      titleEn: orNull(draft.titleEn),
      introBg: draft.introBg,
      introEn: orNull(draft.introEn),
      thankYouBg: draft.thankYouBg,
      thankYouEn: orNull(draft.thankYouEn),
      opensAt,
      closesAt,
      audience: draft.audience,
      resultsVisibility: draft.resultsVisibility,
      sections,
    },
  };
}

/** Moves the item with `id` one place towards `step` (-1 up, +1 down); unchanged at an end. */
function move<T extends { id: string }>(items: T[], id: string, step: -1 | 1): T[] {
  const from = items.findIndex((item) => item.id === id);
  const to = from + step;
  if (from < 0 || to < 0 || to >= items.length) return items;
  const moved = [...items];
  [moved[from], moved[to]] = [moved[to]!, moved[from]!];
  return moved;
}

const withQuestions = (
  draft: SurveyDraft,
  change: (questions: QuestionDraft[], section: SectionDraft) => QuestionDraft[],
): SurveyDraft => ({
  ...draft,
  sections: draft.sections.map((s) => ({ ...s, questions: change(s.questions, s) })),
});

const withQuestion = (
  draft: SurveyDraft,
  questionId: string,
  change: (question: QuestionDraft) => QuestionDraft,
): SurveyDraft =>
  withQuestions(draft, (questions) => questions.map((q) => (q.id === questionId ? change(q) : q)));

/** The question holding option `optionId`, changed by `change` applied to its options. */
const withOptionsOf = (
  draft: SurveyDraft,
  optionId: string,
  change: (options: OptionDraft[]) => OptionDraft[],
): SurveyDraft =>
  withQuestions(draft, (questions) =>
    questions.map((q) =>
      q.options.some((o) => o.id === optionId) ? { ...q, options: change(q.options) } : q,
    ),
  );

/** Conditions naming a question or option that is gone are dropped. */
function pruneConditions(draft: SurveyDraft): SurveyDraft {
  const known = new Set(
    draft.sections.flatMap((s) =>
      s.questions.flatMap((q) => q.options.map((o) => `${q.id}:${o.id}`)),
    ),
  );
  return withQuestions(draft, (questions) =>
    questions.map((q) => ({ ...q, showIf: q.showIf.filter((value) => known.has(value)) })),
  );
}

export interface CommandResult {
  draft: SurveyDraft;
  /**
   * What to focus afterwards (with JavaScript): the id of the thing added, or of the nearest
   * thing to one removed; after a move, the command itself (its button).
   */
  focus: string | null;
}

/** Commands a locked survey (one with responses) still allows: reordering. */
const reorderCommands = new Set([
  'section.up',
  'section.down',
  'question.up',
  'question.down',
  'option.up',
  'option.down',
]);

/**
 * Applies a builder command (`verb` or `verb:argument`, e.g. `question.remove:<id>`) to a draft.
 * `form` gives the kind chosen next to "add question". Unknown commands, and on a `locked`
 * survey anything but reordering, leave the draft as it is.
 */
export function applyCommand(
  draft: SurveyDraft,
  command: string,
  options: { form?: FormData; locked?: boolean; newId?: NewId } = {},
): CommandResult {
  const result = runCommand(draft, command, options);
  if (options.locked) return result;
  // A kind chosen without pressing its button: options follow it, so the form shows them.
  return {
    ...result,
    draft: withQuestions(result.draft, (questions) =>
      questions.map((q) => ({ ...q, options: optionsFor(q.kind, q.options, randomId, false) })),
    ),
  };
}

function runCommand(
  draft: SurveyDraft,
  command: string,
  options: { form?: FormData; locked?: boolean; newId?: NewId },
): CommandResult {
  const newId = options.newId ?? randomId;
  const [verb = '', target = '', role = ''] = command.split(':');
  const same = { draft, focus: null };
  if (options.locked && !reorderCommands.has(verb)) return same;
  switch (verb) {
    case 'section.add': {
      const section = { ...newSection(newId), questions: [newQuestion('single_choice', newId)] };
      return { draft: { ...draft, sections: [...draft.sections, section] }, focus: section.id };
    }
    case 'section.remove': {
      if (draft.sections.length <= 1) return same;
      const at = draft.sections.findIndex((s) => s.id === target);
      const sections = draft.sections.filter((s) => s.id !== target);
      const neighbour = sections[Math.max(0, at - 1)]?.id ?? null;
      return { draft: pruneConditions({ ...draft, sections }), focus: neighbour };
    }
    case 'section.up':
    case 'section.down':
      return {
        draft: { ...draft, sections: move(draft.sections, target, verb === 'section.up' ? -1 : 1) },
        focus: command,
      };
    case 'question.add': {
      if (!draft.sections.some((s) => s.id === target)) return same;
      const kind = oneOf(
        surveyQuestionKinds,
        options.form ? formText(options.form, `newKind.${target}`) : '',
        'single_choice',
      );
      const question = newQuestion(kind, newId);
      return {
        draft: withQuestions(draft, (questions, s) =>
          s.id === target ? [...questions, question] : questions,
        ),
        focus: question.id,
      };
    }
    case 'question.remove':
      return {
        draft: pruneConditions(
          withQuestions(draft, (questions) => questions.filter((q) => q.id !== target)),
        ),
        // Its section's title: the nearest thing still there.
        focus: draft.sections.find((s) => s.questions.some((q) => q.id === target))?.id ?? null,
      };
    case 'question.up':
    case 'question.down': {
      const step = verb === 'question.up' ? -1 : 1;
      const s = draft.sections.findIndex((section) =>
        section.questions.some((q) => q.id === target),
      );
      const questions = draft.sections[s]?.questions ?? [];
      const at = questions.findIndex((q) => q.id === target);
      const within = at + step >= 0 && at + step < questions.length;
      const neighbour = draft.sections[s + step];
      // At a section's edge a question moves on into the next section (a change of meaning, so
      // not on a locked survey): the end of the one before, the start of the one after.
      if (within || !neighbour || options.locked) {
        return {
          draft: withQuestions(draft, (list) => move(list, target, step)),
          focus: command,
        };
      }
      const question = questions[at]!;
      const sections = draft.sections.map((section, i) => {
        if (i === s) return { ...section, questions: questions.filter((q) => q.id !== target) };
        if (section !== neighbour) return section;
        const moved =
          step === -1 ? [...section.questions, question] : [question, ...section.questions];
        return { ...section, questions: moved };
      });
      return { draft: { ...draft, sections }, focus: command };
    }
    case 'question.kind': {
      const next = withQuestion(draft, target, (q) => {
        const fresh = newQuestion(q.kind, newId);
        return {
          ...q,
          allowOther: choiceKinds.has(q.kind) && q.allowOther,
          min: rangeKinds.has(q.kind) ? q.min || fresh.min : '',
          max: rangeKinds.has(q.kind) ? q.max || fresh.max : '',
          options: optionsFor(q.kind, q.options, newId),
        };
      });
      return { draft: pruneConditions(next), focus: target };
    }
    case 'option.add': {
      const optionRole = oneOf(['option', 'row', 'column'], role, 'option');
      const option = newOption(optionRole, newId);
      return {
        draft: withQuestion(draft, target, (q) => ({ ...q, options: [...q.options, option] })),
        focus: option.id,
      };
    }
    case 'option.remove':
      return {
        draft: pruneConditions(
          withOptionsOf(draft, target, (list) => list.filter((o) => o.id !== target)),
        ),
        focus:
          draft.sections
            .flatMap((s) => s.questions)
            .find((q) => q.options.some((o) => o.id === target))?.id ?? null,
      };
    case 'option.up':
    case 'option.down': {
      const step = verb === 'option.up' ? -1 : 1;
      return {
        draft: withOptionsOf(draft, target, (list) => {
          // Rows and columns of a matrix move among their own kind.
          const mine = list.find((o) => o.id === target)?.role;
          const group = list.filter((o) => o.role === mine);
          const moved = move(group, target, step);
          let at = 0;
          return list.map((o) => (o.role === mine ? moved[at++]! : o));
        }),
        focus: command,
      };
    }
    default:
      return same;
  }
}

/**
 * The saved structure with the texts as typed: what the builder shows when a save was refused
 * because responses arrived meanwhile (409 survey_structure_locked). The locked form cannot undo
 * a change of meaning, so the meaning comes back from `saved`; corrections of texts are kept.
 */
export function keepTexts(saved: SurveyDraft, typed: SurveyDraft): SurveyDraft {
  const sections = new Map(typed.sections.map((s) => [s.id, s]));
  const questions = new Map(typed.sections.flatMap((s) => s.questions).map((q) => [q.id, q]));
  const options = new Map(
    typed.sections.flatMap((s) => s.questions.flatMap((q) => q.options)).map((o) => [o.id, o]),
  );
  return {
    ...typed,
    audience: saved.audience,
    sections: saved.sections.map((section) => {
      const s = sections.get(section.id);
      return {
        ...section,
        titleBg: s?.titleBg ?? section.titleBg,
        titleEn: s?.titleEn ?? section.titleEn,
        questions: section.questions.map((question) => {
          const q = questions.get(question.id);
          return {
            ...question,
            ...(q && {
              textBg: q.textBg,
              textEn: q.textEn,
              helpBg: q.helpBg,
              helpEn: q.helpEn,
              minLabelBg: q.minLabelBg,
              minLabelEn: q.minLabelEn,
              maxLabelBg: q.maxLabelBg,
              maxLabelEn: q.maxLabelEn,
            }),
            options: question.options.map((option) => {
              const o = options.get(option.id);
              return o ? { ...option, labelBg: o.labelBg, labelEn: o.labelEn } : option;
            }),
          };
        }),
      };
    }),
  };
}
