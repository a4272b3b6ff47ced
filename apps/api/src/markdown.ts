import { LRUCache } from 'lru-cache';
import MarkdownIt, { type MarkdownIt as Markdown } from 'markdown-it';

/**
 * The safe Markdown subset residents and staff write in. Raw HTML is never passed through (it is
 * shown as text), images are off, and a link is a link only when it points to http, https or
 * mailto: anything else (javascript:, data:, vbscript:, relative paths…) stays plain text.
 */

const allowedLink = /^(?:https?:\/\/|mailto:)/i;

/** Comments: paragraphs, line breaks, emphasis, lists, quotes, code and links; nothing else. */
const commentRules = ['heading', 'lheading', 'table', 'hr', 'strikethrough'];

function createRenderer(disabled: string[]): Markdown {
  const md = new MarkdownIt('default', {
    html: false,
    linkify: true,
    typographer: false,
    // A line break typed in the text box is a line break on the page.
    breaks: true,
  });
  md.disable(['image', 'html_block', 'html_inline', ...disabled]);
  // Called with the URL after entity decoding and percent-encoding, so `&#106;avascript:`,
  // `JaVaScRiPt:` and `java\tscript:` all arrive here spelled out and fail the allow-list.
  md.validateLink = (url) => allowedLink.test(url.trim());
  const defaultLinkOpen =
    md.renderer.rules.link_open ??
    ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    token.attrSet('rel', 'nofollow ugc noopener');
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}

const commentMarkdown = createRenderer(commentRules);
const documentMarkdown = createRenderer(['hr', 'strikethrough']);

/**
 * Rendered texts by source text, one cache per renderer. A page shows up to a few thousand comments
 * and some inputs cost markdown-it milliseconds each (5,000 `[`), and a consultation's body, an
 * event's description or a report's summary is the same text on every view: each is rendered once,
 * not on every request. Bounded by the characters kept, not the number of entries.
 */
function cachedRenderer(md: Markdown): (source: string) => string {
  const rendered = new LRUCache<string, string>({
    maxSize: 8_000_000,
    // At least 1: an empty text (an event without a description) is an entry too.
    sizeCalculation: (html, source) => html.length + source.length + 1,
  });
  return (source) => {
    let html = rendered.get(source);
    if (html === undefined) {
      html = md.render(source);
      rendered.set(source, html);
    }
    return html;
  };
}

/** Renders a comment's Markdown to safe HTML (no headings, tables, images or raw HTML). */
export const renderMarkdown = cachedRenderer(commentMarkdown);

/** Renders a staff document (a consultation's body): the comment subset plus headings and tables. */
export const renderDocumentMarkdown = cachedRenderer(documentMarkdown);
