import { describe, expect, it } from 'vitest';
import { renderDocumentMarkdown, renderMarkdown } from './markdown';

const allowedTags = new Set(
  'p br em strong code pre ul ol li blockquote a h1 h2 h3 h4 h5 h6 table thead tbody tr th td'.split(
    ' ',
  ),
);
const allowedAttributes: Record<string, RegExp> = {
  a: /^(href|rel|title)$/,
  ol: /^start$/,
  th: /^style$/,
  td: /^style$/,
};

/**
 * Every real tag in the output (escaped text is `&lt;…`, so each literal `<` starts one) is on
 * the allow-list with allowed attributes only; links go to http, https or mailto.
 */
function expectInert(html: string) {
  for (const [, name, attributes] of html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)) {
    expect(allowedTags, html).toContain(name);
    for (const [, attribute] of attributes!.matchAll(/\s([^\s=]+)=/g)) {
      expect(attribute, html).toMatch(allowedAttributes[name!] ?? /^$/);
    }
  }
  expect(html.replace(/<\/?[a-zA-Z0-9]+[^>]*>/g, '')).not.toContain('<');
  for (const [, href] of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) {
    expect(href).toMatch(/^(https?:\/\/|mailto:)/i);
  }
  const rels = [...html.matchAll(/<a\s[^>]*>/g)].map((m) => m[0]);
  for (const link of rels) expect(link).toContain('rel="nofollow ugc noopener"');
}

describe('renderMarkdown (comments)', () => {
  it('renders the allowed subset', () => {
    const html = renderMarkdown(
      'Първи ред\nвтори ред\n\n*наклонен* **удебелен** `код`\n\n- едно\n- две\n\n1. първо\n\n> цитат\n\n```\nblock <b>\n```',
    );
    expect(html).toContain('<p>Първи ред<br>\nвтори ред</p>');
    expect(html).toContain('<em>наклонен</em> <strong>удебелен</strong> <code>код</code>');
    expect(html).toContain('<ul>\n<li>едно</li>\n<li>две</li>\n</ul>');
    expect(html).toContain('<ol>\n<li>първо</li>\n</ol>');
    expect(html).toContain('<blockquote>\n<p>цитат</p>\n</blockquote>');
    expect(html).toContain('<pre><code>block &lt;b&gt;\n</code></pre>');
  });

  it('leaves headings, tables, rules and strikethrough as text', () => {
    const html = renderMarkdown(
      '# Заглавие\n\nТекст\n===\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n~~x~~',
    );
    expect(html).not.toMatch(/<(h\d|table|hr|s|del)\b/);
    expect(html).toContain('# Заглавие');
    expect(html).toContain('~~x~~');
  });

  it('marks every link nofollow ugc noopener, without a target', () => {
    const html = renderMarkdown(
      '[сайт](https://www.starazagora.bg/bg/ "Община") <https://example.bg/a?b=1&c=2> http://plain.example.bg [поща](mailto:obshtina@example.bg)',
    );
    const links = [...html.matchAll(/<a [^>]*>/g)].map((m) => m[0]);
    expect(links).toHaveLength(4);
    for (const link of links) {
      expect(link).toContain('rel="nofollow ugc noopener"');
      expect(link).not.toContain('target=');
    }
    expect(html).toContain('href="https://www.starazagora.bg/bg/"');
    expect(html).toContain('href="https://example.bg/a?b=1&amp;c=2"');
    expect(html).toContain('href="http://plain.example.bg"');
    expect(html).toContain('href="mailto:obshtina@example.bg"');
  });

  it('shows raw HTML as text', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<div><p onclick="alert(1)">вложен <b>html</b><iframe src="https://evil.example"></iframe></p></div>',
      '<svg onload=alert(1)>',
      '<a href="javascript:alert(1)">връзка</a>',
      '<style>body{display:none}</style>',
      '<scr<script>ipt>alert(1)</script>',
      '**<img src=x onerror=alert(1)>**',
      '> <script>alert(1)</script>',
      '- <iframe src=javascript:alert(1)>',
    ];
    for (const source of hostile) {
      const html = renderMarkdown(source);
      expectInert(html);
      expect(html, source).toContain('&lt;');
    }
    expect(renderMarkdown('<script>alert(1)</script>')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    );
  });

  it('never links javascript:, data:, vbscript: or anything else but http, https and mailto', () => {
    const hostile = [
      '[x](javascript:alert(1))',
      '[x](JavaScript:alert(1))',
      '[x](JAVASCRIPT:alert(1))',
      '[x](  javascript:alert(1)  )',
      '[x](<javascript:alert(1)>)',
      '[x](<java script:alert(1)>)',
      '[x](java\tscript:alert(1))',
      '[x](java%0Ascript:alert(1))',
      '[x](&#106;avascript:alert(1))',
      '[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))',
      '[x](&#0000106;avascript:alert(1))',
      '[x](javascript&colon;alert(1))',
      '[x](jav&#x09;ascript:alert(1))',
      '[x](\\javascript:alert(1))',
      '[x](javascript://example.bg/%0Aalert(1))',
      '[x][ref]\n\n[ref]: javascript:alert(1)',
      '<javascript:alert(1)>',
      'javascript:alert(1)',
      '[x](vbscript:msgbox(1))',
      '[x](VBScript:msgbox(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](data:image/png;base64,iVBORw0KGgo=)',
      '<data:text/html,<script>alert(1)</script>>',
      '[x](file:///etc/passwd)',
      '[x](//evil.example/path)',
      '[x](/api/admin/users)',
      '[x](#top)',
      '[x](https:javascript:alert(1))',
      '[x](https://example.bg" onmouseover="alert(1))',
    ];
    for (const source of hostile) {
      const html = renderMarkdown(source);
      expectInert(html);
      expect(html, source).not.toMatch(/href="(?!https?:\/\/)/i);
    }
    // Refused links stay readable as the text that was written.
    expect(renderMarkdown('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>\n');
  });

  it('has no images: image syntax is at most a plain link', () => {
    for (const source of [
      '![alt](https://evil.example/track.png)',
      '![alt](data:image/png;base64,iVBORw0KGgo=)',
      '![alt][img]\n\n[img]: https://evil.example/x.gif',
      '[![alt](https://evil.example/x.png)](https://example.bg)',
    ]) {
      const html = renderMarkdown(source);
      expectInert(html);
    }
    expect(renderMarkdown('![alt](https://evil.example/track.png)')).toBe(
      '<p>!<a href="https://evil.example/track.png" rel="nofollow ugc noopener">alt</a></p>\n',
    );
  });

  it('keeps Cyrillic and handles 5,000-character and pathological bodies', () => {
    expect(renderMarkdown('Предлагам **промяна** в чл. 5, ал. 2 — „защо не?“')).toBe(
      '<p>Предлагам <strong>промяна</strong> в чл. 5, ал. 2 — „защо не?“</p>\n',
    );
    const bodies = [
      'Съборът на Стара Загора. '.repeat(200).slice(0, 5000),
      '*'.repeat(5000),
      '_'.repeat(5000),
      '['.repeat(5000),
      '>'.repeat(5000),
      '<'.repeat(5000),
      '`'.repeat(5000),
      '- '.repeat(2500),
      '*a '.repeat(1666),
      '[x]('.repeat(1250),
      '<a'.repeat(2500),
      '&#'.repeat(2500),
      '\\'.repeat(5000),
      ('> '.repeat(50) + 'x\n').repeat(100).slice(0, 5000),
    ];
    for (const body of bodies) {
      expect(body.length).toBeLessThanOrEqual(5000);
      expectInert(renderMarkdown(body));
    }
  });
});

describe('renderDocumentMarkdown (staff documents)', () => {
  it('adds headings and tables to the comment subset', () => {
    const html = renderDocumentMarkdown(
      '# Наредба\n\n## Чл. 1\n\n| Такса | лв. |\n|---|---|\n| Паркиране | 2 |\n\n[текст](https://example.bg)',
    );
    expect(html).toContain('<h1>Наредба</h1>');
    expect(html).toContain('<h2>Чл. 1</h2>');
    expect(html).toMatch(/<table>[\s\S]*<td>Паркиране<\/td>[\s\S]*<\/table>/);
    expect(html).toContain('<a href="https://example.bg" rel="nofollow ugc noopener">текст</a>');
  });

  it('is just as strict about HTML, images and links', () => {
    const html = renderDocumentMarkdown(
      '# <script>alert(1)</script>\n\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |\n|---|---|\n| ![i](https://e.example/i.png) | <iframe> |',
    );
    expectInert(html);
    expect(html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
  });

  it('renders an empty text (a survey without an intro) as nothing, every time', () => {
    expect(renderDocumentMarkdown('')).toBe('');
    expect(renderDocumentMarkdown('')).toBe('');
    expect(renderMarkdown('')).toBe('');
  });

  it('answers a repeated text with the same rendering', () => {
    const source = 'Чл. 1. **Предмет** на наредбата';
    expect(renderDocumentMarkdown(source)).toBe(renderDocumentMarkdown(source));
  });
});
