import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555', "'+1 555"],
    ['-12.5', '-12.5'],
    ['-1+2', "'-1+2"],
    ['-2+3+cmd|" /C calc"!A0', '"\'-2+3+cmd|"" /C calc""!A0"'],
    ['@cmd', "'@cmd"],
    ['\tindent', "'\tindent"],
    ['\rline', '"\'\rline"'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('empty for null and undefined, numbers as written', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('toCsv', () => {
  it('joins cells with commas and rows with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        ['=1', null],
      ]),
    ).toBe("a,b\r\n'=1,\r\n");
  });
});
