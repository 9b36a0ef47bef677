import { describe, expect, it } from 'vitest';
import { safeName, safeText } from './text';

const name = safeName('name', { max: 20, empty: 'Enter a name', tooLong: 'Too long' });
const note = safeText('note', { multiline: true }).max(200);
const line = safeText('label');

const issues = (
  schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } },
  v: string,
) => {
  const r = schema.safeParse(v) as { success: boolean; error?: { issues: { message: string }[] } };
  return r.success ? [] : r.error!.issues.map((i) => i.message);
};

describe('the text rule', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a bell', 'a\u0007b'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a zero-width space', '\u200bSales'],
    ['a zero-width joiner', 'Sa\u200dles'],
    ['a right-to-left override', 'Sales \u202eECNANIF'],
    ['a left-to-right isolate', 'Sales \u2066x'],
    ['a byte order mark', '\ufeffSales'],
    ['a soft hyphen', 'Sal\u00ades'],
    ['a line separator', 'a\u2028b'],
    ['an unpaired surrogate', 'a\ud800b'],
  ])('refuses %s in a one-line field and in a multi-line one', (_, value) => {
    expect(issues(line, value)).toEqual([
      'Remove the invisible or control characters from the label',
    ]);
    expect(issues(note, value)).toEqual([
      'Remove the invisible or control characters from the note',
    ]);
  });

  it('lets newlines and tabs into multi-line fields only', () => {
    expect(issues(note, 'line one\r\nline two\twith a tab')).toEqual([]);
    expect(issues(line, 'line one\nline two')).toHaveLength(1);
    expect(issues(line, 'a\tb')).toHaveLength(1);
  });

  it('keeps ordinary text of any script, emoji and punctuation', () => {
    for (const v of ['Ventes € 2026', 'Продажи', '営業部', 'مبيعات', 'Sales 🚀', 'R&D — “core”']) {
      expect(issues(line, v)).toEqual([]);
      expect(issues(name, v)).toEqual([]);
    }
  });

  it('wants a letter or digit in a name', () => {
    expect(issues(name, '---')).toEqual(['Use at least one letter or digit in the name']);
    expect(issues(name, '\u200b\u200b')).toEqual([
      'Remove the invisible or control characters from the name',
    ]);
    expect(issues(name, '   ')).toEqual(['Enter a name']);
    expect(issues(name, 'R2')).toEqual([]);
    expect(name.parse('  Sales  ')).toBe('Sales');
    expect(issues(name, 'x'.repeat(21))).toEqual(['Too long']);
  });
});
