/**
 * The parsed form of a Klantreis Liquid template: what `parse.ts` builds and `evaluate.ts` renders.
 * Kept as plain data so a template is parsed once per cold start and rendered many times.
 */

/**
 * `nil`/`null`, `empty` and `blank`: compared by their own rules (`x == blank`), printed as ''.
 * Only these three objects are special (by identity), so data can never pose as one.
 */
export interface SpecialLiteral {
  readonly special: 'nil' | 'empty' | 'blank';
  /** What JavaScript arithmetic and comparison see, as with liquidjs's drops: null or ''. */
  valueOf(): null | string;
}
export const NIL: SpecialLiteral = Object.freeze({ special: 'nil', valueOf: () => null });
export const EMPTY: SpecialLiteral = Object.freeze({ special: 'empty', valueOf: () => '' });
export const BLANK: SpecialLiteral = Object.freeze({ special: 'blank', valueOf: () => '' });

/** One step of a path: `.name` or `['name']`, `[0]`, or a variable index `[other.path]`. */
export type PathStep = string | number | Path;

export interface Path {
  kind: 'path';
  /** The text as written, for errors: `customer.givenName`. */
  text: string;
  steps: [string, ...PathStep[]];
}

export interface Literal {
  kind: 'literal';
  value: string | number | boolean | SpecialLiteral;
}

/** A single value: a path or a literal. */
export type Operand = Path | Literal;

export type BinaryOperator = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'contains' | 'and' | 'or';
export type Operator = BinaryOperator | 'not';

/** A condition in postfix order, as liquidjs evaluates it (operands and operators). */
export type Condition = Array<Operand | { operator: Operator }>;

export interface FilterCall {
  name: string;
  args: Operand[];
}

/** A value with filters: `invoice.amount | money: invoice.currency`. */
export interface FilteredValue {
  initial: Operand;
  filters: FilterCall[];
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; value: FilteredValue }
  | {
      kind: 'if';
      /** For `unless` the first branch's test is negated. */
      negateFirst: boolean;
      branches: Array<{ condition: Condition; body: Node[] }>;
      otherwise: Node[];
    }
  | {
      kind: 'case';
      subject: FilteredValue;
      whens: Array<{ values: Operand[]; body: Node[] }>;
      otherwise: Node[];
    }
  | { kind: 'assign'; name: string; value: FilteredValue }
  | { kind: 'capture'; name: string; body: Node[] };
