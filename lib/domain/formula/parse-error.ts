/**
 * A formula that cannot be read. `message` is ready to show under the form field and ends with
 * the position ("Unknown function 'sqrt' at 12"); `detail` is the same without it; `start` and
 * `end` delimit the offending text (0-based, end exclusive) for highlighting.
 */
export class ParseError extends Error {
  readonly detail: string;
  readonly start: number;
  readonly end: number;

  constructor(detail: string, start: number, end: number = start + 1) {
    super(`${detail} at ${start}`);
    this.name = 'ParseError';
    this.detail = detail;
    this.start = start;
    this.end = Math.max(end, start);
  }
}
