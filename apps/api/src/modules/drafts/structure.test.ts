import { describe, expect, it } from 'vitest';
import {
  flattenUnits,
  MAX_INPUT_CHARS,
  MAX_UNITS,
  recogniseStructure,
  type Recognised,
  type Unit,
} from './structure';

const regulation = `НАРЕДБА
за реда и условията за провеждане на обществени консултации в Община Стара Загора

Глава първа
ОБЩИ ПОЛОЖЕНИЯ

Чл. 1. (1) С тази наредба се уреждат редът и условията за провеждане на обществени
консултации по проекти на нормативни актове на Общинския съвет.
(2) Наредбата се прилага и за стратегически документи на общината.
Чл. 2. Обществените консултации се провеждат при спазване на следните принципи:
1. откритост и отчетност;
2. съгласуваност, като:
а) проектите се публикуват едновременно;
б) становищата се обобщават в справка;
3. пропорционалност.
Чл. 2а. Кметът определя длъжностно лице, отговорно за консултациите.

Глава втора
ПРОВЕЖДАНЕ НА КОНСУЛТАЦИИТЕ
Раздел I
Публикуване на проекта
Чл. 3. Предмет
(1) Проектът се публикува на интернет страницата на общината.
(2) Към проекта се публикуват:
1. мотиви или доклад;
2. частична предварителна оценка на въздействието.
Раздел II
Срокове
Чл. 4. Срокът за предложения и становища е не по-кратък от 30 дни.

Допълнителни разпоредби
§ 1. По смисъла на тази наредба:
1. „Заинтересовани страни“ са граждани и организации, засегнати от проекта.
2. „Справка“ е документът, в който се отразяват постъпилите предложения.

Преходни и заключителни разпоредби
§ 2. Наредбата се приема на основание чл. 21, ал. 2 от Закона за местното
самоуправление и местната администрация.
§ 3. Наредбата влиза в сила от деня на обнародването ѝ.`;

const flat = (result: Recognised) => flattenUnits(result.units);
const anchors = (result: Recognised) => flat(result).map(({ unit }) => unit.anchor);
const byAnchor = (result: Recognised, anchor: string): Unit => {
  const found = flat(result).find(({ unit }) => unit.anchor === anchor);
  if (!found) throw new Error(`no unit ${anchor}`);
  return found.unit;
};

describe('recogniseStructure on a municipal regulation', () => {
  const result = recogniseStructure(regulation);

  it('finds no problems in well numbered text', () => {
    expect(result.problems).toEqual([]);
  });

  it('builds the tree of chapters, sections, articles, paragraphs, points, letters and §§', () => {
    expect(anchors(result)).toEqual([
      'preambyul',
      'glava-1',
      'chl-1',
      'chl-1-al-1',
      'chl-1-al-2',
      'chl-2',
      'chl-2-t-1',
      'chl-2-t-2',
      'chl-2-t-2-b-a',
      'chl-2-t-2-b-b',
      'chl-2-t-3',
      'chl-2a',
      'glava-2',
      'glava-2-razdel-1',
      'chl-3',
      'chl-3-al-1',
      'chl-3-al-2',
      'chl-3-al-2-t-1',
      'chl-3-al-2-t-2',
      'glava-2-razdel-2',
      'chl-4',
      'dr',
      'par-1',
      'par-1-t-1',
      'par-1-t-2',
      'pzr',
      'par-2',
      'par-3',
    ]);
    expect(result.units.map((unit) => unit.kind)).toEqual([
      'preamble',
      'chapter',
      'chapter',
      'supplementary',
      'transitional_final',
    ]);
  });

  it('keeps text before the first unit as the preamble', () => {
    expect(result.units[0]).toMatchObject({
      kind: 'preamble',
      number: null,
      text: 'НАРЕДБА за реда и условията за провеждане на обществени консултации в Община Стара Загора',
      line: 1,
    });
  });

  it('labels units as Bulgarian citations and numbers them as written', () => {
    const chapter = byAnchor(result, 'glava-1');
    expect(chapter).toMatchObject({
      number: 'първа',
      label: 'Глава първа',
      title: 'ОБЩИ ПОЛОЖЕНИЯ',
    });
    expect(byAnchor(result, 'glava-2-razdel-1')).toMatchObject({
      label: 'Раздел I',
      title: 'Публикуване на проекта',
    });
    expect(byAnchor(result, 'chl-2a')).toMatchObject({ number: '2а', label: 'Чл. 2а' });
    expect(byAnchor(result, 'chl-1-al-2')).toMatchObject({ number: '2', label: 'ал. 2' });
    expect(byAnchor(result, 'chl-2-t-3')).toMatchObject({ number: '3', label: 'т. 3' });
    expect(byAnchor(result, 'chl-2-t-2-b-b')).toMatchObject({ number: 'б', label: 'буква „б“' });
    expect(byAnchor(result, 'par-3')).toMatchObject({ number: '3', label: '§ 3' });
    expect(byAnchor(result, 'pzr')).toMatchObject({ label: 'Преходни и заключителни разпоредби' });
  });

  it('gives each unit its own text, wrapped lines joined, children apart', () => {
    expect(byAnchor(result, 'chl-1').text).toBe('');
    expect(byAnchor(result, 'chl-1-al-1').text).toBe(
      'С тази наредба се уреждат редът и условията за провеждане на обществени консултации по проекти на нормативни актове на Общинския съвет.',
    );
    expect(byAnchor(result, 'chl-2').text).toBe(
      'Обществените консултации се провеждат при спазване на следните принципи:',
    );
    expect(byAnchor(result, 'chl-2-t-2').text).toBe('съгласуваност, като:');
    expect(byAnchor(result, 'par-2').text).toBe(
      'Наредбата се приема на основание чл. 21, ал. 2 от Закона за местното самоуправление и местната администрация.',
    );
  });

  it('takes an article heading followed straight by its paragraphs as its title', () => {
    expect(byAnchor(result, 'chl-3')).toMatchObject({ title: 'Предмет', text: '' });
    expect(byAnchor(result, 'chl-2').title).toBeNull();
  });

  it('flattens the tree in document order with parents and full citations', () => {
    const letter = flat(result).find(({ unit }) => unit.anchor === 'chl-2-t-2-b-b');
    expect(letter).toMatchObject({
      depth: 3,
      parentAnchor: 'chl-2-t-2',
      citation: 'Чл. 2, т. 2, буква „б“',
    });
    const point = flat(result).find(({ unit }) => unit.anchor === 'chl-3-al-2-t-1');
    expect(point?.citation).toBe('Чл. 3, ал. 2, т. 1');
  });
});

describe('recogniseStructure on real-world text', () => {
  it('anchors deep units by their path in ASCII and cites them in full', () => {
    const text = [
      'Чл. 12а. (1) Кметът организира консултацията.',
      '(2) Становищата се приемат писмено.',
      '(3) Справката съдържа:',
      '1. списък на участниците;',
      '2. отразените предложения, разделени по:',
      'а) глави;',
      'б) членове;',
      'в) алинеи;',
      'г) точки;',
      'д) букви;',
      'е) параграфи;',
      'ж) приложения.',
    ].join('\n');
    const entries = flattenUnits(recogniseStructure(text).units);
    expect(entries.at(-1)).toMatchObject({
      unit: { anchor: 'chl-12a-al-3-t-2-b-zh', label: 'буква „ж“', text: 'приложения.' },
      citation: 'Чл. 12а, ал. 3, т. 2, буква „ж“',
    });
    expect(entries.map(({ unit }) => unit.anchor)).toContain('chl-12a-al-3-t-2-b-b');
  });

  it('tolerates CRLF, tabs, non-breaking and missing spaces, soft hyphens and blank lines', () => {
    const text =
      'Чл.1.\tОбщи\u00adнската администрация\r\n\r\nосигурява\u00a0достъп.\r\nЧл.\u00a02.\u00a0(1)\u00a0Текст.\r\n(2)Втори текст.';
    const result = recogniseStructure(text);
    expect(result.problems).toEqual([]);
    expect(anchors(result)).toEqual(['chl-1', 'chl-2', 'chl-2-al-1', 'chl-2-al-2']);
    expect(byAnchor(result, 'chl-1').text).toBe('Общинската администрация\nосигурява достъп.');
    expect(byAnchor(result, 'chl-2-al-2').text).toBe('Втори текст.');
  });

  it('treats a wrapped line starting with a lowercase reference as text, not an article', () => {
    const result = recogniseStructure(
      'Чл. 5. Предложенията се правят по реда на\nчл. 12, ал. 3 от Закона за нормативните актове.',
    );
    expect(anchors(result)).toEqual(['chl-5']);
    expect(result.units[0]?.text).toContain('на чл. 12, ал. 3 от Закона');
  });

  it('reads Latin look-alike letters and spaced suffixes as Cyrillic', () => {
    const result = recogniseStructure('Чл. 1. Текст.\nЧл. 1a. Текст.\nЧл. 1 б. Текст.');
    expect(result.problems).toEqual([]);
    expect(anchors(result)).toEqual(['chl-1', 'chl-1a', 'chl-1b']);
    expect(byAnchor(result, 'chl-1a').number).toBe('1а');
  });

  it('reads chapter numbers in words, Roman and Arabic numerals, titles on the same line', () => {
    const result = recogniseStructure(
      'ГЛАВА ДВАДЕСЕТ И ПЪРВА\nЗАКЛЮЧИТЕЛНИ ПОЛОЖЕНИЯ\nГлава XXII. Контрол\nГлава 23 – Санкции',
    );
    expect(result.units.map(({ anchor, title }) => [anchor, title])).toEqual([
      ['glava-21', 'ЗАКЛЮЧИТЕЛНИ ПОЛОЖЕНИЯ'],
      ['glava-22', 'Контрол'],
      ['glava-23', 'Санкции'],
    ]);
    // Starting at 21 is a gap the recogniser reports; the rest follows on.
    expect(result.problems).toEqual([
      {
        code: 'numbering_skipped',
        line: 1,
        label: 'Глава двадесет и първа',
        expected: '1',
        found: 'двадесет и първа',
      },
    ]);
  });

  it('leaves numbered lines outside an article as text, and letters outside a point', () => {
    const result = recogniseStructure(
      'Мотиви:\n1. необходимост от нова уредба;\nЧл. 1. Кметът:\nа) организира;\n1. утвърждава плана.',
    );
    expect(anchors(result)).toEqual(['preambyul', 'chl-1', 'chl-1-t-1']);
    expect(result.units[0]?.text).toBe('Мотиви: 1. необходимост от нова уредба;');
    expect(byAnchor(result, 'chl-1').text).toBe('Кметът: а) организира;');
  });

  it('keeps an amendment note as the article text before a paragraph on the same line', () => {
    const result = recogniseStructure(
      'Чл. 1. (Изм. – Решение № 123/25.03.2021 г.) (1) Кметът утвърждава плана.\n(2) Планът се публикува.',
    );
    expect(result.problems).toEqual([]);
    expect(anchors(result)).toEqual(['chl-1', 'chl-1-al-1', 'chl-1-al-2']);
    expect(result.units[0]?.text).toBe('(Изм. – Решение № 123/25.03.2021 г.)');
  });

  it('keeps the wording an amending § quotes as the §’s text', () => {
    const result = recogniseStructure(
      [
        'НАРЕДБА за изменение и допълнение на Наредбата за обществения ред',
        '§ 1. В чл. 3 се създава ал. 3:',
        '„(3) Проектът се публикува и на Портала за обществени консултации.“',
        '§ 2. Създава се чл. 12а:',
        '„Чл. 12а. (1) Кметът определя длъжностно лице.',
        '(2) Заповедта се публикува:',
        '1. на интернет страницата на общината;',
        '2. на таблото в сградата на общината.“',
        '§ 3. Наредбата влиза в сила от деня на обнародването ѝ.',
      ].join('\n'),
    );
    expect(result.problems).toEqual([]);
    expect(anchors(result)).toEqual(['preambyul', 'par-1', 'par-2', 'par-3']);
    expect(byAnchor(result, 'par-2').text).toBe(
      'Създава се чл. 12а: „Чл. 12а. (1) Кметът определя длъжностно лице. (2) Заповедта се публикува: 1. на интернет страницата на общината; 2. на таблото в сградата на общината.“',
    );
  });

  it('does not let a stray opening quote swallow the next article', () => {
    const result = recogniseStructure(
      'Чл. 1. Думата „съвет означава Общинския съвет.\n(1) Текст.\nЧл. 2. (1) Текст.\n(2) Текст.',
    );
    expect(anchors(result)).toEqual(['chl-1', 'chl-2', 'chl-2-al-1', 'chl-2-al-2']);
  });

  it('starts the preamble at its first line of text', () => {
    const result = recogniseStructure('\n\n  \nПроект!\nЧл. 1. Текст.');
    expect(result.units[0]).toMatchObject({ kind: 'preamble', text: 'Проект!', line: 4 });
  });

  it('reports a text without units, and an empty one', () => {
    expect(recogniseStructure('Само обяснителен текст без членове.').problems).toEqual([
      { code: 'no_units_found' },
    ]);
    expect(recogniseStructure('  \n\n').problems).toEqual([{ code: 'no_units_found' }]);
  });
});

describe('numbering problems', () => {
  it('reports a skipped article and keeps going', () => {
    const result = recogniseStructure('Чл. 1. Текст.\nЧл. 2. Текст.\nЧл. 4. Текст.\nЧл. 5. Текст.');
    expect(anchors(result)).toEqual(['chl-1', 'chl-2', 'chl-4', 'chl-5']);
    expect(result.problems).toEqual([
      { code: 'numbering_skipped', line: 3, label: 'Чл. 4', expected: '3', found: '4' },
    ]);
  });

  it('gives a repeated number a unique anchor, deterministically, and reports it', () => {
    const text = 'Чл. 7. (1) Първи.\n(2) Втори.\nЧл. 7. (1) Пак първи.\n(1) Пак.';
    const result = recogniseStructure(text);
    expect(anchors(result)).toEqual([
      'chl-7',
      'chl-7-al-1',
      'chl-7-al-2',
      'chl-7-2',
      'chl-7-2-al-1',
      'chl-7-2-al-1-2',
    ]);
    expect(result.problems).toEqual([
      { code: 'numbering_skipped', line: 1, label: 'Чл. 7', expected: '1', found: '7' },
      { code: 'numbering_repeated', line: 3, label: 'Чл. 7', found: '7' },
      { code: 'numbering_repeated', line: 4, label: 'ал. 1', found: '1' },
    ]);
    expect(recogniseStructure(text)).toEqual(result);
  });

  it('reports a number out of order and measures the next one from the highest', () => {
    const result = recogniseStructure('Чл. 1. А.\nЧл. 3. Б.\nЧл. 2. В.\nЧл. 4. Г.');
    expect(result.problems).toEqual([
      { code: 'numbering_skipped', line: 2, label: 'Чл. 3', expected: '2', found: '3' },
      { code: 'numbering_out_of_order', line: 3, label: 'Чл. 2', expected: '4', found: '2' },
    ]);
    expect(anchors(result)).toEqual(['chl-1', 'chl-3', 'chl-2', 'chl-4']);
  });

  it('numbers points per parent and letters in alphabet order, й and ь optional', () => {
    const result = recogniseStructure(
      'Чл. 1. Текст:\n1. точка:\nз) з;\nи) и;\nк) к;\nм) м;\n(1) Алинея:\n1. отново първа.',
    );
    expect(result.problems).toEqual([
      { code: 'numbering_skipped', line: 3, label: 'буква „з“', expected: 'а', found: 'з' },
      { code: 'numbering_skipped', line: 6, label: 'буква „м“', expected: 'л', found: 'м' },
    ]);
    expect(anchors(result)).toContain('chl-1-al-1-t-1');
  });

  it('accepts § numbering that runs on across the provisions', () => {
    const result = recogniseStructure(
      'Допълнителна разпоредба\n§ 1. Текст.\nЗаключителни разпоредби\n§ 2. Текст.\n§ 2а. Текст.',
    );
    expect(result.problems).toEqual([]);
    expect(anchors(result)).toEqual(['dr', 'par-1', 'zr', 'par-2', 'par-2a']);
  });
});

describe('anchor stability', () => {
  it('keeps every anchor when only the text changes', () => {
    const edited = regulation
      .replace('не по-кратък от 30 дни', 'не по-кратък от 14 дни')
      .replace('откритост и отчетност;', 'прозрачност;');
    expect(anchors(recogniseStructure(edited))).toEqual(anchors(recogniseStructure(regulation)));
  });

  it('keeps the neighbours’ anchors when an article is inserted between them', () => {
    const inserted = regulation.replace(
      'Чл. 4. Срокът',
      'Чл. 3а. Проектът се изпраща и на областния управител.\nЧл. 4. Срокът',
    );
    const result = recogniseStructure(inserted);
    expect(result.problems).toEqual([]);
    expect(anchors(result)).toEqual(
      anchors(recogniseStructure(regulation)).flatMap((anchor) =>
        anchor === 'chl-4' ? ['chl-3a', anchor] : [anchor],
      ),
    );
  });
});

describe('limits', () => {
  it('refuses a text with 10,000 articles with one problem and no tree', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `Чл. ${i + 1}. Текст на члена.`).join(
      '\n',
    );
    const result = recogniseStructure(text);
    expect(result).toEqual({
      units: [],
      problems: [{ code: 'too_many_units', line: MAX_UNITS + 1, expected: String(MAX_UNITS) }],
    });
  });

  it('refuses one article number repeated 10,000 times the same way', () => {
    const result = recogniseStructure('Чл. 1. (1) Текст.\n'.repeat(10_000));
    expect(result.units).toEqual([]);
    expect(result.problems.map((problem) => problem.code)).toEqual(['too_many_units']);
  });

  it('refuses input longer than the limit before reading it', () => {
    const result = recogniseStructure('Чл. 1. '.padEnd(MAX_INPUT_CHARS + 1, 'а'));
    expect(result).toEqual({
      units: [],
      problems: [
        {
          code: 'input_too_long',
          expected: String(MAX_INPUT_CHARS),
          found: String(MAX_INPUT_CHARS + 1),
        },
      ],
    });
  });

  it('reports a unit whose text is suspiciously long, keeping the tree', () => {
    const long = Array.from({ length: 2_000 }, () => 'дълъг текст на члена').join('\n');
    const result = recogniseStructure(`Чл. 1. ${long}\nЧл. 2. Кратък.`);
    expect(anchors(result)).toEqual(['chl-1', 'chl-2']);
    expect(result.problems).toMatchObject([{ code: 'unit_too_long', line: 1, label: 'Чл. 1' }]);
  });

  it('reads a long line without a structure in reasonable work (no backtracking blow-up)', () => {
    const result = recogniseStructure(`Чл. 1${' 1'.repeat(200_000)}\n(${'1'.repeat(100_000)}`);
    expect(result.problems.map((problem) => problem.code)).toEqual([
      'no_units_found',
      'unit_too_long',
    ]);
  });
});
