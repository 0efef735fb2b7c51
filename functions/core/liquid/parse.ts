/**
 * Turns Liquid source into the node tree of `syntax.ts`: splits it into text, `{{ output }}` and
 * `{% tag %}` tokens the way liquidjs's tokenizer does (whitespace control included), then builds
 * the tags Klantreis templates may use. Any other tag is an error that lists the supported ones.
 */
import { BLANK_CLASS, ExpressionReader, WORD } from './expressions.ts';
import { LiquidError } from './liquid-error.ts';
import type { Condition, FilteredValue, Node, Operand } from './syntax.ts';

export const SUPPORTED_TAGS = [
  'if',
  'elsif',
  'else',
  'unless',
  'case',
  'when',
  'assign',
  'capture',
  'echo',
  'comment',
  'raw',
  '#',
] as const;

/** Tags that only close or continue another: alone they are misplaced, not unsupported. */
const CLOSING_TAGS = [
  'elsif',
  'else',
  'when',
  'endif',
  'endunless',
  'endcase',
  'endcapture',
  'endcomment',
  'endraw',
];

interface TextToken {
  kind: 'text';
  text: string;
}
interface DelimitedToken {
  kind: 'output' | 'tag';
  /** Inside the delimiters, without `-` and surrounding blanks. */
  content: string;
  /** `{%-` / `{{-`: trim the whitespace before. */
  trimLeft: boolean;
  /** `-%}` / `-}}`: trim the whitespace after. */
  trimRight: boolean;
  /** The tag's name (`if`, `#`), for tags. */
  name: string;
  /** The tag's text after its name. */
  args: string;
  /** ", line 3" for errors. */
  where: string;
}
type Token = TextToken | DelimitedToken;

const BLANK_CHAR = new RegExp(`[${BLANK_CLASS}]`);
const isBlank = (char: string | undefined) => char !== undefined && BLANK_CHAR.test(char);
/** `{% endraw %}` closes raw content; liquidjs allows blanks before the name and anything up to `%}`. */
const END_RAW = new RegExp(`\\{%[${BLANK_CLASS}]*endraw(?!${WORD.source})(?:(?!\\{%)[\\s\\S])*?%\\}`, 'g');

function lineAt(source: string, offset: number): string {
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return `, line ${line}`;
}

/** Returns the offset just past the `}}` closing the output at `begin`, skipping quoted strings. */
function outputEnd(source: string, begin: number): number {
  for (let p = begin + 2; p < source.length; p++) {
    const char = source[p];
    if (char === "'" || char === '"') {
      const close = source.indexOf(char, p + 1);
      if (close < 0) return -1;
      p = close;
    } else if (char === '}' && source[p + 1] === '}') {
      return p + 2;
    }
  }
  return -1;
}

function delimited(source: string, kind: 'output' | 'tag', begin: number, end: number): DelimitedToken {
  let left = begin + 2;
  let right = end - 2;
  const trimLeft = source[left] === '-';
  const trimRight = right > left && source[right - 1] === '-';
  if (trimLeft) left++;
  if (trimRight) right--;
  while (left < right && isBlank(source[left])) left++;
  while (right > left && isBlank(source[right - 1])) right--;
  const content = source.slice(left, right);
  const where = lineAt(source, begin);
  let name = '';
  let args = content;
  if (kind === 'tag') {
    const reader = new ExpressionReader(content, where);
    name = content.startsWith('#') ? '#' : reader.readIdentifier();
    if (!name) throw new LiquidError(`a tag needs a name: "${source.slice(begin, end)}"${where}`);
    args = name === '#' ? content.slice(1) : reader.rest().trimStart();
  }
  return { kind, content, trimLeft, trimRight, name, args, where };
}

/** Splits the source into tokens, as liquidjs's `readTopLevelTokens`. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let p = 0;
  while (p < source.length) {
    const tag = source.indexOf('{%', p);
    const output = source.indexOf('{{', p);
    const next = tag < 0 ? output : output < 0 ? tag : Math.min(tag, output);
    if (next < 0) {
      tokens.push({ kind: 'text', text: source.slice(p) });
      break;
    }
    if (next > p) tokens.push({ kind: 'text', text: source.slice(p, next) });
    if (next === tag) {
      const end = source.indexOf('%}', next + 2);
      if (end < 0)
        throw new LiquidError(`tag "${source.slice(next, next + 20)}" not closed${lineAt(source, next)}`);
      const token = delimited(source, 'tag', next, end + 2);
      tokens.push(token);
      p = end + 2;
      if (token.name === 'raw') {
        END_RAW.lastIndex = p;
        const close = END_RAW.exec(source);
        if (!close) throw new LiquidError(`raw not closed${token.where}`);
        if (close.index > p) tokens.push({ kind: 'text', text: source.slice(p, close.index) });
        tokens.push(delimited(source, 'tag', close.index, close.index + close[0].length));
        p = close.index + close[0].length;
      }
    } else {
      const end = outputEnd(source, next);
      if (end < 0)
        throw new LiquidError(`output "${source.slice(next, next + 20)}" not closed${lineAt(source, next)}`);
      tokens.push(delimited(source, 'output', next, end));
      p = end;
    }
  }
  applyWhitespaceControl(tokens);
  return tokens;
}

/** `{%-` trims all whitespace before the tag, `-%}` all after it (liquidjs's `greedy` default); not inside raw. */
function applyWhitespaceControl(tokens: Token[]): void {
  let inRaw = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'text') continue;
    const before = tokens[i - 1];
    if (!inRaw && token.trimLeft && before?.kind === 'text') {
      let end = before.text.length;
      while (end > 0 && isBlank(before.text[end - 1])) end--;
      before.text = before.text.slice(0, end);
    }
    if (token.kind === 'tag' && token.name === 'raw') inRaw = true;
    else if (token.kind === 'tag' && token.name === 'endraw') inRaw = false;
    const after = tokens[i + 1];
    if (!inRaw && token.trimRight && after?.kind === 'text') {
      let start = 0;
      while (start < after.text.length && isBlank(after.text[start])) start++;
      after.text = after.text.slice(start);
    }
  }
}

/** Builds nodes from the tokens until one of `ends` (returned) or the end of the source (null). */
class TreeBuilder {
  private i = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  build(): Node[] {
    const { nodes, end } = this.until([]);
    if (end) throw new LiquidError(`unexpected tag "${end.name}"${end.where}`);
    return nodes;
  }

  private until(ends: readonly string[]): { nodes: Node[]; end: DelimitedToken | null } {
    const nodes: Node[] = [];
    while (this.i < this.tokens.length) {
      const token = this.tokens[this.i++] as Token;
      if (token.kind === 'text') {
        if (token.text) nodes.push({ kind: 'text', text: token.text });
      } else if (token.kind === 'output') {
        nodes.push({
          kind: 'output',
          value: new ExpressionReader(token.content, token.where).readFilteredValue(),
        });
      } else if (ends.includes(token.name)) {
        return { nodes, end: token };
      } else {
        const node = this.tag(token);
        if (node) nodes.push(node);
      }
    }
    return { nodes, end: null };
  }

  /** Returns the body up to one of `ends`, failing when the source ends first. */
  private body(ends: readonly string[], opener: DelimitedToken): { nodes: Node[]; end: DelimitedToken } {
    const { nodes, end } = this.until(ends);
    if (!end) throw new LiquidError(`tag "${opener.name}" not closed${opener.where}`);
    return { nodes, end };
  }

  private tag(token: DelimitedToken): Node | null {
    const reader = new ExpressionReader(token.args, token.where);
    switch (token.name) {
      case 'if':
      case 'unless':
        return this.conditional(token, reader.readCondition());
      case 'case':
        return this.caseTag(token, reader.readFilteredValue());
      case 'assign': {
        const name = reader.readIdentifier();
        if (!name) reader.fail('expected a variable name');
        if (!reader.accept('=')) reader.fail('expected "="');
        return { kind: 'assign', name, value: reader.readFilteredValue() };
      }
      case 'capture': {
        const name = reader.readIdentifier();
        if (!name) reader.fail('expected a variable name');
        reader.expectEnd();
        return { kind: 'capture', name, body: this.body(['endcapture'], token).nodes };
      }
      case 'echo':
        return reader.atEnd() ? null : { kind: 'output', value: reader.readFilteredValue() };
      case 'comment':
        this.skipComment(token);
        return null;
      case 'raw': {
        const text = this.tokens[this.i]?.kind === 'text' ? (this.tokens[this.i++] as TextToken).text : '';
        this.i++; // endraw, found by the tokenizer
        return text ? { kind: 'text', text } : null;
      }
      case '#':
        if (/\n\s*[^#\s]/.test(token.args)) {
          throw new LiquidError(`every line of an inline comment must start with "#"${token.where}`);
        }
        return null;
      default:
        if (CLOSING_TAGS.includes(token.name))
          throw new LiquidError(`unexpected tag "${token.name}"${token.where}`);
        throw new LiquidError(
          `tag "${token.name}" is not supported in Klantreis templates${token.where}; supported: ${SUPPORTED_TAGS.join(', ')}`,
        );
    }
  }

  /** `if`/`unless` … `elsif` … `else` … `endif`/`endunless`. */
  private conditional(opener: DelimitedToken, first: Condition): Node {
    const close = opener.name === 'if' ? 'endif' : 'endunless';
    const branches: Array<{ condition: Condition; body: Node[] }> = [];
    let condition = first;
    for (;;) {
      const { nodes, end } = this.body(['elsif', 'else', close], opener);
      branches.push({ condition, body: nodes });
      if (end.name === 'elsif') {
        condition = new ExpressionReader(end.args, end.where).readCondition();
        continue;
      }
      let otherwise: Node[] = [];
      if (end.name === 'else') {
        new ExpressionReader(end.args, end.where).expectEnd();
        const rest = this.body([close, 'elsif', 'else'], opener);
        if (rest.end.name !== close)
          throw new LiquidError(`unexpected "${rest.end.name}" after else${rest.end.where}`);
        otherwise = rest.nodes;
        new ExpressionReader(rest.end.args, rest.end.where).expectEnd();
      } else {
        new ExpressionReader(end.args, end.where).expectEnd();
      }
      return { kind: 'if', negateFirst: opener.name === 'unless', branches, otherwise };
    }
  }

  private caseTag(opener: DelimitedToken, subject: FilteredValue): Node {
    // What stands before the first `when` is never rendered, as in liquidjs (and Shopify's Liquid).
    const before = this.body(['when', 'else', 'endcase'], opener);
    const whens: Array<{ values: Operand[]; body: Node[] }> = [];
    let otherwise: Node[] = [];
    let end = before.end;
    while (end.name === 'when') {
      const reader: ExpressionReader = new ExpressionReader(end.args, end.where);
      const values: Operand[] = [];
      do {
        const value = reader.readOperand();
        if (!value) reader.fail('expected a value');
        values.push(value);
      } while (reader.accept(',') || reader.acceptWord('or'));
      reader.expectEnd();
      const next = this.body(['when', 'else', 'endcase'], opener);
      whens.push({ values, body: next.nodes });
      end = next.end;
    }
    if (end.name === 'else') {
      const rest = this.body(['endcase', 'when', 'else'], opener);
      if (rest.end.name !== 'endcase')
        throw new LiquidError(`unexpected "${rest.end.name}" after else${rest.end.where}`);
      otherwise = rest.nodes;
    }
    return { kind: 'case', subject, whens, otherwise };
  }

  /** Skips to `endcomment`: what lies between is still tokenized (as liquidjs does) but never parsed. */
  private skipComment(opener: DelimitedToken): void {
    while (this.i < this.tokens.length) {
      const token = this.tokens[this.i++] as Token;
      if (token.kind === 'tag' && token.name === 'endcomment') return;
    }
    throw new LiquidError(`tag "comment" not closed${opener.where}`);
  }
}

/** Returns the template's node tree; throws a LiquidError naming the line of the first problem. */
export function parseLiquid(source: string): Node[] {
  return new TreeBuilder(tokenize(source)).build();
}
