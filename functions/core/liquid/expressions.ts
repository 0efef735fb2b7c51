/**
 * Reads the inside of `{{ … }}` and `{% … %}`: values, paths, filters and conditions, with the
 * tokens liquidjs accepts for them. It is stricter than liquidjs where liquidjs silently ignores
 * text (`{{ a b }}` prints `a`): anything it does not understand is a LiquidError.
 */
import { LiquidError } from './liquid-error.ts';
import {
  BLANK,
  type Condition,
  EMPTY,
  type FilterCall,
  type FilteredValue,
  type Literal,
  NIL,
  type Operand,
  type Operator,
  type Path,
  type PathStep,
  type SpecialLiteral,
} from './syntax.ts';

/**
 * liquidjs's blanks (its `BLANK` character type): ASCII space, tab, CR, LF, VT, FF and the Unicode
 * spaces, the no-break space among them, which `{{-` trims as well.
 */
export const BLANK_CLASS =
  ' \\t\\n\\r\\v\\f\\u00A0\\u1680\\u180E\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const BLANK_CHAR = new RegExp(`[${BLANK_CLASS}]`);
/** liquidjs's word characters: ASCII letters, digits, `_`, `-`, `?`, and any other non-ASCII character but blanks and curly quotes. */
export const WORD = new RegExp(
  `[A-Za-z0-9_\\-?]|[^\\u0000-\\u007F${BLANK_CLASS.replace(/^ /, '')}\\u201C\\u201D]`,
);
const NUMBER = /^[+-]?\d+(?:\.\d+)?/;

const SPECIALS: Record<string, SpecialLiteral> = { nil: NIL, null: NIL, empty: EMPTY, blank: BLANK };
const BOOLEANS: Record<string, boolean> = { true: true, false: false };

/** liquidjs's precedences; operators of equal precedence group to the right, as in liquidjs. */
const PRECEDENCE: Record<Operator, number> = {
  '==': 2,
  '!=': 2,
  '<': 2,
  '>': 2,
  '<=': 2,
  '>=': 2,
  contains: 2,
  not: 1,
  and: 0,
  or: 0,
};
const SYMBOL_OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
const WORD_OPERATORS = ['contains', 'and', 'or', 'not'] as const;

/** A cursor over the inside of one tag or output. */
export class ExpressionReader {
  private p = 0;
  private readonly text: string;
  private readonly where: string;

  constructor(text: string, where: string) {
    this.text = text;
    this.where = where;
  }

  fail(message: string): never {
    throw new LiquidError(`${message} in "${this.text}"${this.where}`);
  }

  skipBlank(): void {
    while (this.p < this.text.length && BLANK_CHAR.test(this.text[this.p] as string)) this.p++;
  }

  atEnd(): boolean {
    this.skipBlank();
    return this.p >= this.text.length;
  }

  expectEnd(): void {
    if (!this.atEnd()) this.fail(`unexpected "${this.text.slice(this.p)}"`);
  }

  /** Consumes the character if it is next (after blanks). */
  accept(char: string): boolean {
    this.skipBlank();
    if (this.text[this.p] !== char) return false;
    this.p++;
    return true;
  }

  /** Consumes the word if it is next and whole (`or`, not `orange`). */
  acceptWord(word: string): boolean {
    this.skipBlank();
    if (!this.text.startsWith(word, this.p) || WORD.test(this.text[this.p + word.length] ?? '')) return false;
    this.p += word.length;
    return true;
  }

  /** Returns the identifier next, or '' (liquidjs `readIdentifier`). */
  readIdentifier(): string {
    this.skipBlank();
    const begin = this.p;
    while (this.p < this.text.length && WORD.test(this.text[this.p] as string)) this.p++;
    return this.text.slice(begin, this.p);
  }

  /** Returns the rest of the text, untouched. */
  rest(): string {
    const rest = this.text.slice(this.p);
    this.p = this.text.length;
    return rest;
  }

  private readQuoted(): string | null {
    this.skipBlank();
    const quote = this.text[this.p];
    if (quote !== "'" && quote !== '"') return null;
    const end = this.text.indexOf(quote, this.p + 1);
    if (end < 0) this.fail('unclosed string');
    const value = this.text.slice(this.p + 1, end);
    // liquidjs reads escape sequences; templates have no use for them, so they are refused, not guessed.
    if (value.includes('\\')) this.fail('backslash escapes in strings are not supported');
    this.p = end + 1;
    return value;
  }

  private readNumber(): number | null {
    this.skipBlank();
    const match = NUMBER.exec(this.text.slice(this.p));
    if (!match) return null;
    const after = this.text[this.p + match[0].length] ?? '';
    if (WORD.test(after) || after === '.') return null;
    this.p += match[0].length;
    return Number(match[0]);
  }

  private readLiteral(): Literal | null {
    const quoted = this.readQuoted();
    if (quoted !== null) return { kind: 'literal', value: quoted };
    const number = this.readNumber();
    if (number !== null) return { kind: 'literal', value: number };
    for (const [word, value] of Object.entries(BOOLEANS)) {
      if (this.acceptWord(word)) return { kind: 'literal', value };
    }
    for (const [word, value] of Object.entries(SPECIALS)) {
      if (this.acceptWord(word)) return { kind: 'literal', value };
    }
    return null;
  }

  private readPath(): Path | null {
    this.skipBlank();
    const begin = this.p;
    const first = this.readIdentifier();
    if (!first) return null;
    const steps: [string, ...PathStep[]] = [first];
    for (;;) {
      if (this.text[this.p] === '.' && this.text[this.p + 1] !== '.') {
        this.p++;
        const name = this.readIdentifier();
        if (!name) this.fail('a name must follow "."');
        steps.push(name);
      } else if (this.text[this.p] === '[') {
        this.p++;
        const index = this.readOperand();
        if (!index) this.fail('expected a value in "[ ]"');
        if (!this.accept(']')) this.fail('"[" not closed');
        if (index.kind === 'path') steps.push(index);
        else if (typeof index.value === 'string' || typeof index.value === 'number') steps.push(index.value);
        else this.fail('an index must be a string, a number or a variable');
      } else {
        break;
      }
    }
    return { kind: 'path', text: this.text.slice(begin, this.p), steps };
  }

  /** Returns the value next: a literal or a path; null when there is none. */
  readOperand(): Operand | null {
    // Literals first, as liquidjs does: `true`, `nil`, `empty` are never variables.
    return this.readLiteral() ?? this.readPath();
  }

  /** Returns `value | filter: arg, arg | …`. */
  readFilteredValue(): FilteredValue {
    const initial = this.readOperand();
    if (!initial) this.fail('expected a value');
    return { initial, filters: this.readFilters() };
  }

  private readFilters(): FilterCall[] {
    const filters: FilterCall[] = [];
    while (this.accept('|')) {
      const name = this.readIdentifier();
      if (!name) this.fail('expected a filter name after "|"');
      const args: Operand[] = [];
      if (this.accept(':')) {
        do {
          const arg = this.readOperand();
          if (!arg) this.fail(`expected an argument for filter "${name}"`);
          this.skipBlank();
          if (this.text[this.p] === ':') this.fail(`named arguments (filter "${name}") are not supported`);
          args.push(arg);
        } while (this.accept(','));
      }
      filters.push({ name, args });
    }
    this.expectEnd();
    return filters;
  }

  private readOperator(): Operator | null {
    this.skipBlank();
    for (const symbol of SYMBOL_OPERATORS) {
      if (this.text.startsWith(symbol, this.p)) {
        this.p += symbol.length;
        return symbol;
      }
    }
    for (const word of WORD_OPERATORS) if (this.acceptWord(word)) return word;
    return null;
  }

  /**
   * Returns the condition of an `if`/`elsif`/`unless` in postfix order, grouped as liquidjs groups
   * it: comparisons bind tighter than `not`, `not` tighter than `and`/`or`, and `and`/`or` (of equal
   * precedence) group from the right, so `a or b and c` is `a or (b and c)`.
   */
  readCondition(): Condition {
    const infix: Array<Operand | { operator: Operator }> = [];
    let expectOperand = true;
    while (!this.atEnd()) {
      if (expectOperand) {
        if (this.acceptWord('not')) {
          infix.push({ operator: 'not' });
          continue;
        }
        const operand = this.readOperand();
        if (!operand) this.fail('expected a value');
        infix.push(operand);
        expectOperand = false;
      } else {
        if (this.text[this.p] === '|') this.fail('filters in conditions are not supported');
        const operator = this.readOperator();
        if (!operator || operator === 'not') this.fail(`unexpected "${this.text.slice(this.p)}"`);
        infix.push({ operator });
        expectOperand = true;
      }
    }
    if (expectOperand) this.fail('expected a value');
    return toPostfix(infix);
  }
}

/** liquidjs's `toPostfix`: pops only strictly higher precedence, so equal precedence groups right. */
function toPostfix(infix: Array<Operand | { operator: Operator }>): Condition {
  const output: Condition = [];
  const operators: Array<{ operator: Operator }> = [];
  for (const token of infix) {
    if ('operator' in token) {
      while (
        operators.length &&
        PRECEDENCE[(operators.at(-1) as { operator: Operator }).operator] > PRECEDENCE[token.operator]
      ) {
        output.push(operators.pop() as { operator: Operator });
      }
      operators.push(token);
    } else {
      output.push(token);
    }
  }
  while (operators.length) output.push(operators.pop() as { operator: Operator });
  return output;
}
