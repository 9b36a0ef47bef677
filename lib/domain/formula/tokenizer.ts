import { Dec, toPlainString } from '@/lib/domain/decimal';
import { MAX_FORMULA_LENGTH, MAX_LITERAL_DIGITS } from './ast';
import { ParseError } from './parse-error';

/** One token of a formula, with its span. `text` is the canonical number or the name. */
export type Token =
  | { kind: 'number'; text: string; start: number; end: number }
  | { kind: 'name'; text: string; start: number; end: number }
  | { kind: '+' | '-' | '*' | '/' | '(' | ')' | ','; text: string; start: number; end: number }
  | { kind: 'end'; text: ''; start: number; end: number };

const PUNCTUATION = new Set(['+', '-', '*', '/', '(', ')', ',']);
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';
const isUpper = (c: string | undefined): boolean => c !== undefined && c >= 'A' && c <= 'Z';
const isNameChar = (c: string | undefined): boolean =>
  isLower(c) || isUpper(c) || isDigit(c) || c === '_';

/**
 * Splits a formula into tokens. Numbers are plain decimals (`12`, `0.5`; not `.5`, `5.` or
 * `1e3`). Names follow the app's key syntax (`sales.new_arr`, `ops-team.nps`): a letter, then
 * letters, digits, `_`, and `.` or `-` when another letter, digit or `_` follows, so `a-b` is the
 * key `a-b` and a subtraction of keys needs spaces (`a - b`). Throws a ParseError on anything
 * else, on uppercase names (keys are lowercase) and past the length limit.
 */
export function tokenize(text: string): Token[] {
  if (text.length > MAX_FORMULA_LENGTH) {
    throw new ParseError(
      `The formula is too long (at most ${MAX_FORMULA_LENGTH} characters)`,
      MAX_FORMULA_LENGTH,
      text.length,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === undefined) break;
    if (WHITESPACE.has(c)) {
      i += 1;
    } else if (isDigit(c)) {
      i = readNumber(text, i, tokens);
    } else if (isLower(c) || isUpper(c)) {
      i = readName(text, i, tokens);
    } else if (PUNCTUATION.has(c)) {
      tokens.push({ kind: c as '+', text: c, start: i, end: i + 1 });
      i += 1;
    } else if (c === '.' && isDigit(text[i + 1])) {
      throw new ParseError('Write numbers with a leading zero (0.5, not .5)', i);
    } else {
      const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
      throw new ParseError(`Unexpected character '${char}'`, i, i + char.length);
    }
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

function readNumber(text: string, start: number, tokens: Token[]): number {
  let i = start;
  while (isDigit(text[i])) i += 1;
  if (text[i] === '.') {
    if (!isDigit(text[i + 1])) throw new ParseError("Expected a digit after '.'", i + 1);
    i += 1;
    while (isDigit(text[i])) i += 1;
  }
  const raw = text.slice(start, i);
  if (raw.replace('.', '').length > MAX_LITERAL_DIGITS) {
    throw new ParseError(`A number has at most ${MAX_LITERAL_DIGITS} digits`, start, i);
  }
  tokens.push({ kind: 'number', text: toPlainString(new Dec(raw)), start, end: i });
  return i;
}

function readName(text: string, start: number, tokens: Token[]): number {
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (isNameChar(c)) i += 1;
    else if ((c === '.' || c === '-') && isNameChar(text[i + 1])) i += 1;
    else break;
  }
  const name = text.slice(start, i);
  if (name !== name.toLowerCase()) {
    throw new ParseError(`Keys and functions are lowercase: '${name}'`, start, i);
  }
  tokens.push({ kind: 'name', text: name, start, end: i });
  return i;
}
