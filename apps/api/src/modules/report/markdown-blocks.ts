import MarkdownIt, { type Token } from 'markdown-it';

export interface Block {
  kind: 'heading' | 'paragraph' | 'item' | 'code' | 'quote' | 'row';
  text: string;
  indent: number;
}

const markdown = new MarkdownIt('default', { html: false, linkify: false });

/**
 * Markdown to plain blocks for print: headings, paragraphs, list items with their bullets or
 * numbers, quotes, code and table rows. Link targets follow the link text in parentheses.
 */
export function markdownBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let quote = 0;
  let pendingKind: Block['kind'] = 'paragraph';
  let itemPrefix = '';
  let row: string[] | null = null;
  for (const token of markdown.parse(source, {})) {
    switch (token.type) {
      case 'bullet_list_open':
        lists.push({ ordered: false, next: 1 });
        break;
      case 'ordered_list_open':
        lists.push({ ordered: true, next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        const list = lists.at(-1);
        itemPrefix = list?.ordered ? `${list.next++}. ` : '• ';
        break;
      }
      case 'blockquote_open':
        quote += 1;
        break;
      case 'blockquote_close':
        quote -= 1;
        break;
      case 'heading_open':
        pendingKind = 'heading';
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (row) blocks.push({ kind: 'row', text: row.join(' | '), indent: lists.length + quote });
        row = null;
        break;
      case 'fence':
      case 'code_block':
        blocks.push({ kind: 'code', text: token.content.replace(/\n$/, ''), indent: quote });
        break;
      case 'inline': {
        const content = inlineText(token.children ?? []);
        if (row) {
          row.push(content);
          break;
        }
        const inList = lists.length > 0 && pendingKind !== 'heading';
        const kind: Block['kind'] = inList ? 'item' : quote > 0 ? 'quote' : pendingKind;
        blocks.push({
          kind,
          text: inList ? `${itemPrefix}${content}` : content,
          indent: Math.max(0, lists.length - 1) + quote,
        });
        // Later paragraphs of the same list item continue it without a second bullet.
        itemPrefix = '   ';
        pendingKind = 'paragraph';
        break;
      }
    }
  }
  return blocks;
}

function inlineText(tokens: Token[]): string {
  let out = '';
  const links: { href: string; start: number }[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'code_inline':
        out += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'image':
        out += token.content;
        break;
      case 'link_open':
        links.push({ href: String(token.attrGet('href') ?? ''), start: out.length });
        break;
      case 'link_close': {
        const link = links.pop();
        if (link && link.href && out.slice(link.start) !== link.href) out += ` (${link.href})`;
        break;
      }
    }
  }
  return out;
}
