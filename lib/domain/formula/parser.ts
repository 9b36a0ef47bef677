import {
  FUNCTION_NAMES,
  MAX_FORMULA_DEPTH,
  MAX_PREV_OFFSET,
  type FormulaNode,
  type FunctionName,
  type Span,
} from './ast';
import { ParseError } from './parse-error';
import { tokenize, type Token } from './tokenizer';

/*
 * Recursive descent over the grammar
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary
 *   primary := number | '(' expr ')' | name '(' args ')' | name
 * A name followed by '(' is a call (only FUNCTION_NAMES); any other name is a KPI key, so a KPI
 * keyed `max` can still be used as a plain input. Nothing is ever evaluated as code.
 */

const isFunctionName = (name: string): name is (typeof FUNCTION_NAMES)[number] =>
  (FUNCTION_NAMES as readonly string[]).includes(name);

/**
 * Parses a formula into its tree. Throws a ParseError (and nothing else) for any text that is
 * not a formula: bad characters, unknown functions, wrong argument counts, `prev` without a key
 * or with an offset that is not an integer from 1 to MAX_PREV_OFFSET, unbalanced parentheses,
 * nesting deeper than MAX_FORMULA_DEPTH, text longer than MAX_FORMULA_LENGTH, or nothing at all.
 */
export function parseFormula(text: string): FormulaNode {
  const parser = new Parser(tokenize(text));
  if (parser.peek().kind === 'end') throw new ParseError('Enter a formula', 0);
  const node = parser.expr();
  const rest = parser.peek();
  if (rest.kind !== 'end') {
    throw new ParseError(
      rest.kind === ')' ? "Unmatched ')'" : `Expected an operator before '${rest.text}'`,
      rest.start,
      rest.end,
    );
  }
  return node;
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** End of the last token consumed: spans run to it, closing parentheses included. */
  private lastEnd = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token {
    const t = this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1];
    if (!t) throw new ParseError('Enter a formula', 0);
    return t;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos += 1;
    this.lastEnd = t.end;
    return t;
  }

  private expect(kind: Token['kind'], what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) throw unexpected(t, what);
    return this.next();
  }

  private enter(at: Token): void {
    this.depth += 1;
    if (this.depth > MAX_FORMULA_DEPTH) {
      throw new ParseError(`Nested too deeply (at most ${MAX_FORMULA_DEPTH} levels)`, at.start);
    }
  }

  expr(): FormulaNode {
    const start = this.peek().start;
    let left = this.term();
    for (let t = this.peek(); t.kind === '+' || t.kind === '-'; t = this.peek()) {
      this.next();
      const right = this.term();
      left = binary(t, left, right, { start, end: this.lastEnd });
    }
    return left;
  }

  private term(): FormulaNode {
    const start = this.peek().start;
    let left = this.unary();
    for (let t = this.peek(); t.kind === '*' || t.kind === '/'; t = this.peek()) {
      this.next();
      const right = this.unary();
      left = binary(t, left, right, { start, end: this.lastEnd });
    }
    return left;
  }

  private unary(): FormulaNode {
    const t = this.peek();
    if (t.kind !== '-') return this.primary();
    this.next();
    this.enter(t);
    const operand = this.unary();
    this.depth -= 1;
    return { type: 'neg', operand, span: { start: t.start, end: this.lastEnd } };
  }

  private primary(): FormulaNode {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { type: 'number', value: t.text, span: spanOf(t) };
      case '(': {
        this.enter(t);
        const inner = this.expr();
        this.expect(')', "')'");
        this.depth -= 1;
        return inner;
      }
      case 'name':
        if (this.peek().kind === '(') return this.call(t);
        return { type: 'key', key: t.text, span: spanOf(t) };
      default:
        throw unexpected(t, 'a number, a KPI key or (');
    }
  }

  private call(name: Token): FormulaNode {
    if (!isFunctionName(name.text)) {
      throw new ParseError(`Unknown function '${name.text}'`, name.start, name.end);
    }
    this.enter(name);
    this.next(); // '('
    const node = name.text === 'prev' ? this.prevArgs(name) : this.fnArgs(name, name.text);
    this.depth -= 1;
    return node;
  }

  private prevArgs(name: Token): FormulaNode {
    const keyToken = this.peek();
    if (keyToken.kind !== 'name' || this.tokens[this.pos + 1]?.kind === '(') {
      throw new ParseError(
        'prev() takes a KPI key, such as prev(company.arr)',
        keyToken.start,
        keyToken.end,
      );
    }
    this.next();
    let offset = 1;
    if (this.peek().kind === ',') {
      this.next();
      const n = this.peek();
      if (
        n.kind !== 'number' ||
        !/^\d+$/.test(n.text) ||
        Number(n.text) < 1 ||
        Number(n.text) > MAX_PREV_OFFSET
      ) {
        throw new ParseError(
          `prev(key, n) takes a whole number n from 1 to ${MAX_PREV_OFFSET}`,
          n.start,
          n.end,
        );
      }
      this.next();
      offset = Number(n.text);
    }
    const close = this.expect(')', "')' after prev's arguments");
    return {
      type: 'prev',
      key: keyToken.text,
      offset,
      keySpan: spanOf(keyToken),
      span: { start: name.start, end: close.end },
    };
  }

  private fnArgs(name: Token, fn: FunctionName): FormulaNode {
    const args: FormulaNode[] = [this.expr()];
    while (this.peek().kind === ',') {
      this.next();
      args.push(this.expr());
    }
    const close = this.expect(')', "',' or ')'");
    const span = { start: name.start, end: close.end };
    if (fn === 'abs' && args.length !== 1) {
      throw new ParseError('abs() takes exactly 1 argument', span.start, span.end);
    }
    if (fn !== 'abs' && args.length < 2) {
      throw new ParseError(`${fn}() needs at least 2 arguments`, span.start, span.end);
    }
    return { type: 'call', fn, args, span };
  }
}

function spanOf(t: Token): Span {
  return { start: t.start, end: t.end };
}

function binary(op: Token, left: FormulaNode, right: FormulaNode, span: Span): FormulaNode {
  return { type: 'binary', op: op.kind as '+', left, right, opSpan: spanOf(op), span };
}

function unexpected(t: Token, what: string): ParseError {
  if (t.kind === 'end') return new ParseError(`Expected ${what} but the formula ends`, t.start);
  return new ParseError(`Expected ${what} instead of '${t.text}'`, t.start, t.end);
}
