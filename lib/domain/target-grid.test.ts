import { describe, expect, it } from 'vitest';
import { parseGridNumber, parsePastedBlock } from '@/lib/domain/target-grid';

describe('parseGridNumber', () => {
  it('reads the locale way, and plain numbers in every locale', () => {
    expect(parseGridNumber('1.250,5', 'de-DE')).toEqual({ ok: true, value: '1250.5' });
    expect(parseGridNumber('1250.5', 'de-DE')).toEqual({ ok: true, value: '1250.5' });
    expect(parseGridNumber('1 250,5', 'fr-FR')).toEqual({ ok: true, value: '1250.5' });
    expect(parseGridNumber('1,250.5', 'de-DE').ok).toBe(false);
  });

  it('accepts thousands separators and plain numbers', () => {
    expect(parseGridNumber('1,250.5', 'en-US')).toEqual({ ok: true, value: '1250.5' });
    expect(parseGridNumber(' 12 000 ', 'en-US')).toEqual({ ok: true, value: '12000' });
    expect(parseGridNumber("1'000'000", 'en-US')).toEqual({ ok: true, value: '1000000' });
    expect(parseGridNumber('-3.75', 'en-US')).toEqual({ ok: true, value: '-3.75' });
    expect(parseGridNumber('', 'en-US')).toEqual({ ok: true, value: null });
  });
  it('refuses what is not a number', () => {
    expect(parseGridNumber('12,34', 'en-US').ok).toBe(false);
    expect(parseGridNumber('abc', 'en-US').ok).toBe(false);
    expect(parseGridNumber('1,2345', 'en-US').ok).toBe(false);
  });
});

describe('parsePastedBlock', () => {
  it('splits tabs and newlines, dropping one trailing newline', () => {
    expect(parsePastedBlock('1\t2\r\n3\t4\n')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parsePastedBlock('5')).toEqual([['5']]);
  });
});
