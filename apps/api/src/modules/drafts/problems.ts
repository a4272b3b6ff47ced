import type { DraftProblem, Locale } from '@sabor/contracts';
import type { Problem, ProblemCode } from './structure';

type Facts = Required<Pick<Problem, 'label' | 'expected' | 'found'>> & { line: string };

/** What each problem tells staff, in both languages; the facts fill the blanks. */
const wording: Record<ProblemCode, Record<Locale, (facts: Facts) => string>> = {
  input_too_long: {
    bg: (f) => `Текстът е твърде дълъг (${f.found} знака, най-много ${f.expected}).`,
    en: (f) => `The text is too long (${f.found} characters, at most ${f.expected}).`,
  },
  too_many_units: {
    bg: (f) =>
      `Текстът има повече от ${f.expected} разпознати части (след ред ${f.line}) и не е разделен.`,
    en: (f) =>
      `The text has more than ${f.expected} recognised units (past line ${f.line}) and was not split.`,
  },
  no_units_found: {
    bg: () =>
      'Не са открити глави, членове, алинеи или параграфи. Номерирайте ги както в нормативен акт: „Чл. 1.“, „(1)“, „1.“, „а)“, „§ 1.“',
    en: () =>
      'No chapters, articles, paragraphs or §§ were found. Number them as a normative act does: “Чл. 1.”, “(1)”, “1.”, “а)”, “§ 1.”',
  },
  unit_too_long: {
    bg: (f) =>
      `${f.label} (ред ${f.line}) има ${f.found} знака текст: може би съдържа части, чиято номерация не е разпозната.`,
    en: (f) =>
      `${f.label} (line ${f.line}) holds ${f.found} characters of text: it may contain units whose numbering was not recognised.`,
  },
  numbering_skipped: {
    bg: (f) => `${f.label} (ред ${f.line}): очаква се номер ${f.expected}, а е ${f.found}.`,
    en: (f) => `${f.label} (line ${f.line}): number ${f.expected} was expected, not ${f.found}.`,
  },
  numbering_repeated: {
    bg: (f) => `${f.label} (ред ${f.line}) се повтаря.`,
    en: (f) => `${f.label} (line ${f.line}) appears twice.`,
  },
  numbering_out_of_order: {
    bg: (f) =>
      `${f.label} (ред ${f.line}) не е на мястото си: след предишния номер се очаква ${f.expected}.`,
    en: (f) =>
      `${f.label} (line ${f.line}) is out of order: ${f.expected} was expected after the previous number.`,
  },
};

/** A problem as the API answers it: its facts and what they mean, in `locale`. */
export function describeProblem(problem: Problem, locale: Locale): DraftProblem {
  const facts: Facts = {
    label: problem.label ?? '',
    expected: problem.expected ?? '',
    found: problem.found ?? '',
    line: String(problem.line ?? ''),
  };
  return { ...problem, message: wording[problem.code][locale](facts) };
}
