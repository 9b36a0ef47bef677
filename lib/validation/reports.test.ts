import { describe, expect, it } from 'vitest';
import { periodKeyString } from './reports';

describe('period keys of a share link', () => {
  it('refuses years outside the supported range with one message', () => {
    expect(periodKeyString.safeParse('month-2026-01-01').success).toBe(true);
    for (const key of ['month-0000-01-01', 'year-0001-01-01', 'junk']) {
      const parsed = periodKeyString.safeParse(key);
      expect(parsed.success, key).toBe(false);
      expect(
        parsed.error?.issues.map((i) => i.message),
        key,
      ).toEqual(['Choose a period']);
    }
  });
});
