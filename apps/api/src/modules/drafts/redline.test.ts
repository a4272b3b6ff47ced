import { describe, expect, it } from 'vitest';
import { compareDrafts, type Redline, type RedlineEntry } from './redline';
import { recogniseStructure } from './structure';

const regulation = `НАРЕДБА
за обществените консултации в Община Стара Загора

Глава първа
ОБЩИ ПОЛОЖЕНИЯ

Чл. 1. (1) С тази наредба се уреждат редът и условията за провеждане на обществени
консултации по проекти на нормативни актове на Общинския съвет.
(2) Наредбата се прилага и за стратегически документи на общината.
Чл. 2. Обществените консултации се провеждат при спазване на принципите на откритост,
отчетност, съгласуваност и пропорционалност.
Чл. 3. Кметът определя длъжностно лице, отговорно за организирането на консултациите.
Чл. 4. Информацията за консултациите се публикува на портала на общината безплатно.

Глава втора
ПРОВЕЖДАНЕ НА КОНСУЛТАЦИИТЕ
Раздел I
Публикуване на проекта
Чл. 5. Публикуване
(1) Проектът се публикува на интернет страницата на общината.
(2) Към проекта се публикуват:
1. мотиви или доклад;
2. частична предварителна оценка на въздействието;
3. справка за отразените становища от предходни обсъждания.
Чл. 6. Съобщението за проекта посочва срока, адреса за становища и отговорното лице.
Раздел II
Срокове
Чл. 7. Срокът за предложения и становища е не по-кратък от 30 дни.
Чл. 8. По изключение срокът може да бъде от 14 дни, когато причините са посочени в мотивите.
Чл. 9. Становищата, постъпили след срока, се разглеждат, ако времето позволява това.

Глава трета
РЕЗУЛТАТИ ОТ КОНСУЛТАЦИИТЕ
Чл. 10. Вносителят изготвя справка за постъпилите предложения и мотивите за неприемането им.
Чл. 11. Справката се публикува заедно с окончателния проект преди заседанието на съвета.
Чл. 12. Анонимни становища не се разглеждат, но се публикуват в регистъра на консултацията.

Допълнителни разпоредби
§ 1. По смисъла на тази наредба „заинтересовани страни“ са граждани и организации,
засегнати от проекта.

Преходни и заключителни разпоредби
§ 2. Наредбата се приема на основание чл. 21, ал. 2 от Закона за местното
самоуправление и местната администрация.
§ 3. Наредбата влиза в сила от деня на обнародването ѝ.`;

/** The regulation with one exact passage replaced; fails loudly when the passage is absent. */
function edited(text: string, ...replacements: [string, string][]): string {
  return replacements.reduce((result, [from, to]) => {
    if (!result.includes(from)) throw new Error(`not in the draft: ${from}`);
    return result.replace(from, to);
  }, text);
}

/** Numbers the articles 1, 2, 3… in the order they stand, as a consolidated text would. */
function renumberArticles(text: string): string {
  let number = 0;
  return text.replace(/^Чл\. \d+\./gmu, () => `Чл. ${++number}.`);
}

function redline(before: string, after: string): Redline {
  return compareDrafts(recogniseStructure(before).units, recogniseStructure(after).units);
}

/** What a reader walking the redline sees: status and labels, old → new. */
function walk(entries: readonly RedlineEntry[]): string[] {
  return entries.map(({ status, before, after, moved, renumbered }) => {
    const labels = [before?.label, after?.label].filter((label) => label !== undefined);
    const flags = [renumbered ? 'renumbered' : '', moved ? 'moved' : ''].filter(Boolean);
    return [status, [...new Set(labels)].join(' → '), ...flags].join(' ');
  });
}

const changedEntries = (result: Redline): RedlineEntry[] =>
  result.entries.filter(({ status }) => status !== 'unchanged');

/** The changes of one entry as "-deleted" and "+inserted" strings. */
const edits = (entry: RedlineEntry | undefined): string[] =>
  (entry?.segments ?? [])
    .filter(({ op }) => op !== 'equal')
    .map(({ op, text }) => `${op === 'insert' ? '+' : '-'}${text}`);

describe('compareDrafts on a municipal regulation', () => {
  it('shows identical versions as unchanged, every entry in document order', () => {
    const result = redline(regulation, regulation);
    expect(result.summary).toEqual({
      unchanged: 23,
      changed: 0,
      added: 0,
      deleted: 0,
      moved: 0,
      renumbered: 0,
    });
    expect(walk(result.entries).slice(0, 4)).toEqual([
      'unchanged Преамбюл',
      'unchanged Глава първа',
      'unchanged Чл. 1',
      'unchanged Чл. 2',
    ]);
    expect(result.entries[2]?.segments).toEqual([
      {
        op: 'equal',
        text:
          '(1) С тази наредба се уреждат редът и условията за провеждане на обществени ' +
          'консултации по проекти на нормативни актове на Общинския съвет.\n' +
          '(2) Наредбата се прилага и за стратегически документи на общината.',
      },
    ]);
  });

  it('shows a word changed in ал. 2, т. 1 within the whole article, line by line', () => {
    const result = redline(
      regulation,
      edited(regulation, ['мотиви или доклад', 'мотиви и доклад']),
    );
    expect(walk(changedEntries(result))).toEqual(['changed Чл. 5']);
    const [entry] = changedEntries(result);
    expect(edits(entry)).toEqual(['-или', '+и']);
    const newText = entry?.segments.filter(({ op }) => op !== 'delete').map(({ text }) => text);
    expect(newText?.join('')).toBe(
      'Публикуване\n(1) Проектът се публикува на интернет страницата на общината.\n' +
        '(2) Към проекта се публикуват:\n1. мотиви и доклад;\n' +
        '2. частична предварителна оценка на въздействието;\n' +
        '3. справка за отразените становища от предходни обсъждания.',
    );
  });

  it('keeps Cyrillic words whole and shows a punctuation-only change', () => {
    const result = redline(
      regulation,
      edited(regulation, ['оценка на въздействието;', 'оценка на въздействието,']),
    );
    expect(edits(changedEntries(result)[0])).toEqual(['-;', '+,']);
    const phrase = redline(regulation, edited(regulation, ['не по-кратък', 'не по-дълъг']));
    expect(edits(changedEntries(phrase)[0])).toEqual(['-кратък', '+дълъг']);
  });

  it('shows an article inserted early as added and the later ones as renumbered, not changed', () => {
    let renumbered = regulation;
    for (let number = 12; number >= 3; number--) {
      renumbered = edited(renumbered, [`Чл. ${number}.`, `Чл. ${number + 1}.`]);
    }
    const inserted = edited(renumbered, [
      'Чл. 4. Кметът',
      'Чл. 3. Общинският съвет приема годишен план на консултациите.\nЧл. 4. Кметът',
    ]);
    const result = redline(regulation, inserted);
    expect(result.summary).toMatchObject({ added: 1, changed: 0, deleted: 0, moved: 0 });
    expect(result.summary.renumbered).toBe(10);
    expect(walk(result.entries).slice(3, 6)).toEqual([
      'unchanged Чл. 2',
      'added Чл. 3',
      'unchanged Чл. 3 → Чл. 4 renumbered',
    ]);
    expect(result.entries[5]?.before?.anchor).toBe('chl-3');
    expect(result.entries[5]?.after?.anchor).toBe('chl-4');
  });

  it('matches by text before number: an edited article keeps its partner after renumbering', () => {
    let renumbered = regulation;
    for (let number = 12; number >= 3; number--) {
      renumbered = edited(renumbered, [`Чл. ${number}.`, `Чл. ${number + 1}.`]);
    }
    const inserted = edited(
      renumbered,
      ['Чл. 4. Кметът', 'Чл. 3. Общинският съвет приема годишен план.\nЧл. 4. Кметът'],
      ['не по-кратък от 30 дни', 'не по-кратък от 45 дни'],
    );
    const result = redline(regulation, inserted);
    expect(walk(changedEntries(result))).toEqual([
      'added Чл. 3',
      'changed Чл. 7 → Чл. 8 renumbered',
    ]);
    expect(edits(changedEntries(result)[1])).toEqual(['-30', '+45']);
    expect(result.summary).toMatchObject({ unchanged: 22, renumbered: 10, moved: 0 });
  });

  it('shows a chapter inserted early as added, the later chapters as renumbered', () => {
    const inserted = renumberArticles(
      edited(
        regulation,
        ['Глава трета', 'Глава четвърта'],
        ['Глава втора', 'Глава трета'],
        [
          '\nГлава трета\nПРОВЕЖДАНЕ',
          '\nГлава втора\nПЛАНИРАНЕ\nЧл. 5. Кметът утвърждава план на консултациите.\n' +
            '\nГлава трета\nПРОВЕЖДАНЕ',
        ],
      ),
    );
    const result = redline(regulation, inserted);
    expect(walk(result.entries).slice(6, 10)).toEqual([
      'added Глава втора',
      'added Чл. 5',
      'unchanged Глава втора → Глава трета renumbered',
      'unchanged Раздел I',
    ]);
    expect(result.summary).toMatchObject({ added: 2, changed: 0, deleted: 0, moved: 0 });
  });

  it('shows a deleted article where it stood', () => {
    const removed = edited(regulation, [
      'Чл. 6. Съобщението за проекта посочва срока, адреса за становища и отговорното лице.\n',
      '',
    ]);
    const result = redline(regulation, removed);
    expect(walk(changedEntries(result))).toEqual(['deleted Чл. 6']);
    expect(walk(result.entries).slice(8, 12)).toEqual([
      'unchanged Чл. 5',
      'deleted Чл. 6',
      'unchanged Раздел II',
      'unchanged Чл. 7',
    ]);
  });

  it('shows an article moved to another chapter as moved, the ones it left as renumbered', () => {
    const article =
      'Чл. 3. Кметът определя длъжностно лице, отговорно за организирането на консултациите.\n';
    const moved = renumberArticles(
      edited(regulation, [article, ''], ['Чл. 11. Справката', `${article}Чл. 11. Справката`]),
    );
    const result = redline(regulation, moved);
    expect(walk(result.entries.filter(({ moved }) => moved))).toEqual([
      'unchanged Чл. 3 → Чл. 10 renumbered moved',
    ]);
    expect(walk(result.entries).slice(13, 16)).toEqual([
      'unchanged Глава трета',
      'unchanged Чл. 10 → Чл. 9 renumbered',
      'unchanged Чл. 3 → Чл. 10 renumbered moved',
    ]);
    expect(result.summary).toMatchObject({ unchanged: 23, renumbered: 8, moved: 1 });
  });

  it('follows an article both moved and edited', () => {
    const article =
      'Чл. 3. Кметът определя длъжностно лице, отговорно за организирането на консултациите.\n';
    const moved = renumberArticles(
      edited(
        regulation,
        [article, ''],
        ['Чл. 11. Справката', `${article.replace('Кметът', 'Председателят')}Чл. 11. Справката`],
      ),
    );
    const result = redline(regulation, moved);
    expect(walk(changedEntries(result))).toEqual(['changed Чл. 3 → Чл. 10 renumbered moved']);
    expect(edits(changedEntries(result)[0])).toEqual(['-Кметът', '+Председателят']);
  });

  it('pairs a provisions block whose kind changed with its old self', () => {
    const result = redline(
      regulation,
      edited(regulation, ['Преходни и заключителни разпоредби', 'Заключителни разпоредби']),
    );
    expect(walk(changedEntries(result))).toEqual([
      'changed Преходни и заключителни разпоредби → Заключителни разпоредби',
    ]);
  });

  it('shows a § added to the final provisions at their end', () => {
    const result = redline(
      regulation,
      `${regulation}\n§ 4. Изпълнението на наредбата се възлага на кмета на общината.`,
    );
    expect(walk(result.entries).at(-1)).toBe('added § 4');
    expect(result.entries.at(-1)?.segments).toEqual([
      { op: 'insert', text: 'Изпълнението на наредбата се възлага на кмета на общината.' },
    ]);
    expect(result.summary).toMatchObject({ added: 1, unchanged: 23 });
  });

  it('shows a chapter title changed as a change of that chapter alone', () => {
    const result = redline(
      regulation,
      edited(regulation, ['РЕЗУЛТАТИ ОТ КОНСУЛТАЦИИТЕ', 'ОТЧИТАНЕ НА РЕЗУЛТАТИТЕ']),
    );
    expect(walk(changedEntries(result))).toEqual(['changed Глава трета']);
    expect(edits(changedEntries(result)[0])).toEqual([
      '-РЕЗУЛТАТИ ОТ КОНСУЛТАЦИИТЕ',
      '+ОТЧИТАНЕ НА РЕЗУЛТАТИТЕ',
    ]);
  });

  it('shows an article rewritten under the same number as changed, not deleted and added', () => {
    const result = redline(
      regulation,
      edited(regulation, [
        'Обществените консултации се провеждат при спазване на принципите на откритост,\nотчетност, съгласуваност и пропорционалност.',
        'Всеки може да изпрати становище по електронна поща или на хартия.',
      ]),
    );
    expect(walk(changedEntries(result))).toEqual(['changed Чл. 2']);
  });

  it('keeps repeated texts in place: repealed articles stay paired with their own', () => {
    const repealed = edited(
      regulation,
      [
        'Чл. 4. Информацията за консултациите се публикува на портала на общината безплатно.',
        'Чл. 4. (Отм.)',
      ],
      [
        'Чл. 9. Становищата, постъпили след срока, се разглеждат, ако времето позволява това.',
        'Чл. 9. (Отм.)',
      ],
    );
    const withNewRepealed = renumberArticles(
      edited(repealed, ['Чл. 7. Срокът', 'Чл. 7. (Отм.)\nЧл. 7. Срокът']),
    );
    const result = redline(repealed, withNewRepealed);
    expect(walk(changedEntries(result))).toEqual(['added Чл. 7']);
    expect(result.summary).toMatchObject({ moved: 0, renumbered: 6 });
  });

  it('compares drafts without articles by their preamble', () => {
    const result = redline(
      'Проект на решение за приемане на програма за развитие на читалищата.',
      'Проект на решение за приемане на годишна програма за развитие на читалищата.',
    );
    expect(walk(result.entries)).toEqual(['changed Преамбюл']);
    expect(edits(result.entries[0])).toEqual(['+годишна ']);
    expect(compareDrafts([], []).entries).toEqual([]);
  });
});

/** A deterministic pseudo-random sequence (mulberry32), so generated drafts never vary. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const vocabulary = (
  'общината кметът съветът проектът становище предложение срок публикува консултация ' +
  'гражданите организации регистър справка мотиви оценка въздействие заседание решение ' +
  'документ програма бюджет план отчет комисия секретар адрес електронна поща хартия ' +
  'дни месеца година срещата изслушване протокол доклад вносителят приема отхвърля ' +
  'предоставя осигурява изготвя определя уведомява разглежда включва посочва съдържа'
).split(' ');

function sentence(next: () => number, words: number): string {
  const chosen = Array.from(
    { length: words },
    () => vocabulary[Math.floor(next() * vocabulary.length)],
  );
  return `${chosen.join(' ')}.`;
}

/** One article's body: a sentence, sometimes split into two paragraphs. */
function articleBody(next: () => number): string {
  return next() < 0.5 ? sentence(next, 14) : `(1) ${sentence(next, 9)}\n(2) ${sentence(next, 9)}`;
}

interface Article {
  body: string;
  /** Its number in the old version; null when new. */
  was: number | null;
  /** The chapter it opens, if any. */
  opens?: number;
}

/** The draft's text, articles numbered in order, chapters titled where articles open them. */
function generatedDraft(articles: readonly Article[], titles: readonly string[]): string {
  return articles
    .map(({ body, opens }, index) => {
      const chapter = opens === undefined ? '' : `Глава ${opens + 1}\n${titles[opens]}\n`;
      return `${chapter}Чл. ${index + 1}. ${body}`;
    })
    .join('\n');
}

describe('compareDrafts on generated 200-article drafts', () => {
  const next = random(15);
  const before: Article[] = Array.from({ length: 200 }, (_, index) => ({
    body: articleBody(next),
    was: index + 1,
    ...(index % 20 === 0 ? { opens: index / 20 } : {}),
  }));
  const titles = Array.from({ length: 10 }, (_, index) => `ЧАСТ ${index + 1} ${sentence(next, 3)}`);

  it('finds exactly ten scattered edits', () => {
    const after = before.map((article) => ({ ...article }));
    const at = (was: number) => after.findIndex((article) => article.was === was);
    const change = (was: number, edit: (body: string) => string) => {
      after[at(was)]!.body = edit(after[at(was)]!.body);
    };
    change(10, (body) => body.replace(/ \p{L}+/u, ' изменено'));
    change(90, (body) => body.replace(/\.$/u, ';'));
    change(110, (body) => `${body.replace(/^\(1\) /u, '')}\n(3) ${sentence(next, 6)}`);
    change(190, (body) => body.replace(/\p{L}+\.$/u, 'допълнено.'));
    after.splice(at(30), 1);
    after.splice(at(130), 1);
    after.splice(at(50) + 1, 0, {
      body: 'Създава се обществен съвет по консултациите.',
      was: null,
    });
    after.splice(at(170) + 1, 0, { body: 'Отчетът се публикува всяка година.', was: null });
    const [moved] = after.splice(at(70), 1);
    after.splice(at(150) + 1, 0, moved!);
    const newTitles = titles.map((title, index) => (index === 4 ? `${title} И ОТЧЕТ` : title));

    const result = redline(generatedDraft(before, titles), generatedDraft(after, newTitles));
    const renumbered = after.filter(({ was }, index) => was !== null && was !== index + 1).length;
    expect(result.summary).toEqual({
      unchanged: 203,
      changed: 5,
      added: 2,
      deleted: 2,
      moved: 1,
      renumbered,
    });
    expect(walk(result.entries.filter(({ moved }) => moved))).toEqual([
      `unchanged Чл. 70 → Чл. ${at(70) + 1} renumbered moved`,
    ]);
    expect(walk(changedEntries(result).filter(({ status }) => status === 'deleted'))).toEqual([
      'deleted Чл. 30',
      'deleted Чл. 130',
    ]);
  });

  it('finishes on 5,000 units a side that share nothing but their numbers', () => {
    const draft = (seed: number) => {
      const words = random(seed);
      return Array.from(
        { length: 2_500 },
        (_, index) => `Чл. ${index + 1}. ${sentence(words, 20)}\n(1) ${sentence(words, 6)}`,
      ).join('\n');
    };
    const before = recogniseStructure(draft(1));
    const after = recogniseStructure(draft(2));
    expect(before.problems).toEqual([]);
    const result = compareDrafts(before.units, after.units);
    const { unchanged, changed, added, deleted } = result.summary;
    expect(unchanged + changed + added + deleted).toBe(result.entries.length);
    expect(result.entries.length).toBeGreaterThanOrEqual(2_500);
  });
});
