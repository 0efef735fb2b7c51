/**
 * Renders a parsed template with Klantreis's Liquid rules, which are liquidjs's with the options
 * Klantreis used: `strictVariables` (a missing variable fails, naming it), `lenientIf` (except in
 * `if`/`unless`/`case` conditions, `assign` and before `default`, where it is nil), `jsTruthy`,
 * `ownPropertyOnly` (only the data's own properties are read), and HTML-escaped output when asked.
 */
import type { LiquidFilter } from './filters.ts';
import { escapeHtml } from './filters.ts';
import { LiquidError } from './liquid-error.ts';
import type { Condition, FilteredValue, Node, Operand, Path } from './syntax.ts';
import { compare, contains, equals, isSpecial, isTruthy, stringify, toValue } from './values.ts';

export interface RenderState {
  scope: Record<string, unknown>;
  globals: Record<string, unknown>;
  /** What `assign` and `capture` set: read before the data. */
  assigned: Record<string, unknown>;
  filters: Readonly<Record<string, LiquidFilter>>;
  escape: boolean;
  /** `this` for filters: liquidjs hands them its context, of which ours read only the globals. */
  filterThis: { context: { globals: unknown } };
}

function readSize(value: unknown): unknown {
  const boxed = Object(value) as { size?: unknown };
  if (Object.hasOwn(boxed, 'size') || boxed.size !== undefined) return boxed.size;
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  return typeof value === 'object' ? Object.keys(value as object).length : undefined;
}

/** liquidjs `readProperty` with `ownPropertyOnly`: own properties, negative array indexes, `size`/`first`/`last`. */
function readProperty(target: unknown, key: unknown): unknown {
  if (target === null || target === undefined) return target;
  if (isSpecial(target)) return undefined;
  if (Array.isArray(target) && typeof key === 'number') {
    const index = key < 0 ? target.length + key : key;
    return Object.hasOwn(target, index) ? target[index] : undefined;
  }
  const boxed = Object(target) as Record<PropertyKey, unknown>;
  const value = Object.hasOwn(boxed, key as PropertyKey) ? boxed[key as PropertyKey] : undefined;
  if (typeof value === 'function') return value.call(target);
  if (key === 'size') return readSize(target);
  if (key === 'first' || key === 'last') {
    if (!Array.isArray(target)) return value;
    const index = key === 'first' ? 0 : target.length - 1;
    return Object.hasOwn(target, index) ? target[index] : undefined;
  }
  return value;
}

/** Returns the value at the path; a missing one fails (strict) or is nil (lenient). */
function lookup(path: Path, state: RenderState, lenient: boolean): unknown {
  const [first, ...rest] = path.steps;
  const holder =
    first in state.assigned ? state.assigned : first in state.scope ? state.scope : state.globals;
  let value = readProperty(holder, first);
  const seen = [first];
  const missing = () => {
    if (lenient) return null;
    throw new LiquidError(`undefined variable: ${seen.join('.')}`);
  };
  if (value === undefined) return missing();
  for (const step of rest) {
    // A variable index is read strictly even in a condition, as liquidjs does.
    const key = typeof step === 'object' ? toValue(lookup(step, state, false)) : step;
    value = readProperty(value, key);
    seen.push(String(key));
    if (value === undefined) return missing();
  }
  return value;
}

const operandValue = (operand: Operand, state: RenderState, lenient: boolean): unknown =>
  operand.kind === 'literal' ? operand.value : lookup(operand, state, lenient);

function applyFilters(value: FilteredValue, state: RenderState, lenient: boolean): unknown {
  // liquidjs reads the value before `default` leniently: `{{ nickname | default: name }}` may lack a nickname.
  let result = operandValue(value.initial, state, lenient || value.filters[0]?.name === 'default');
  for (const { name, args } of value.filters) {
    const filter = state.filters[name] as LiquidFilter;
    const values = args.map((arg) => operandValue(arg, state, false));
    try {
      result = filter.call(state.filterThis, result, ...values);
    } catch (error) {
      throw new LiquidError(`filter ${name}: ${(error as Error).message}`, { cause: error });
    }
  }
  return result;
}

/** Evaluates a condition in postfix order, every operand read (leniently), as liquidjs does. */
function conditionValue(condition: Condition, state: RenderState): unknown {
  const stack: unknown[] = [];
  for (const token of condition) {
    if (!('operator' in token)) {
      stack.push(operandValue(token, state, true));
      continue;
    }
    const right = stack.pop();
    if (token.operator === 'not') {
      stack.push(!isTruthy(right));
      continue;
    }
    const left = stack.pop();
    switch (token.operator) {
      case '==':
        stack.push(equals(left, right));
        break;
      case '!=':
        stack.push(!equals(left, right));
        break;
      case 'contains':
        stack.push(contains(left, right));
        break;
      case 'and':
        stack.push(isTruthy(left) && isTruthy(right));
        break;
      case 'or':
        stack.push(isTruthy(left) || isTruthy(right));
        break;
      default:
        stack.push(compare(token.operator, left, right));
    }
  }
  return stack[0];
}

/** Renders the nodes into `out`. */
export function renderNodes(nodes: readonly Node[], state: RenderState, out: string[]): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out.push(node.text);
        break;
      case 'output': {
        const value = applyFilters(node.value, state, false);
        out.push(state.escape ? escapeHtml(value) : stringify(value));
        break;
      }
      case 'if': {
        let body = node.otherwise;
        for (let i = 0; i < node.branches.length; i++) {
          const branch = node.branches[i] as (typeof node.branches)[number];
          const truthy = isTruthy(conditionValue(branch.condition, state));
          if (i === 0 && node.negateFirst ? !truthy : truthy) {
            body = branch.body;
            break;
          }
        }
        renderNodes(body, state, out);
        break;
      }
      case 'case': {
        const subject = toValue(applyFilters(node.subject, state, true));
        let hit = false;
        // Every matching `when` renders, not only the first: liquidjs (and Shopify's Liquid) do so.
        for (const when of node.whens) {
          if (when.values.some((value) => equals(subject, operandValue(value, state, true)))) {
            renderNodes(when.body, state, out);
            hit = true;
          }
        }
        if (!hit) renderNodes(node.otherwise, state, out);
        break;
      }
      case 'assign':
        state.assigned[node.name] = applyFilters(node.value, state, true);
        break;
      case 'capture': {
        const captured: string[] = [];
        renderNodes(node.body, state, captured);
        state.assigned[node.name] = captured.join('');
        break;
      }
    }
  }
}
