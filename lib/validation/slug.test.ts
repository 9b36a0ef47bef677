import { describe, expect, it } from 'vitest';
import { isValidSlug, slugCandidate, slugify, SLUG_MAX_LENGTH } from './slug';

describe('slugify', () => {
  it.each([
    ['Northwind Cloud', 'northwind-cloud'],
    ['  Acme,  Inc. ', 'acme-inc'],
    ['Zürich Café & Co', 'zurich-cafe-and-co'],
    ['ÅÄÖ Ltd', 'aao-ltd'],
    ['---', 'organization'],
    ['日本', 'organization'],
    ['Admin', 'admin-org'],
    ['API', 'api-org'],
    ['R2-D2 Robotics', 'r2-d2-robotics'],
  ])('%j -> %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(isValidSlug(slugify(name))).toBe(true);
  });

  it('caps the length without a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(47)} b c`);
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(slug.endsWith('-')).toBe(false);
  });
});

describe('slug candidates', () => {
  it('numbers later attempts and stays within the limit', () => {
    expect(slugCandidate('acme', 1)).toBe('acme');
    expect(slugCandidate('acme', 2)).toBe('acme-2');
    const long = 'a'.repeat(SLUG_MAX_LENGTH);
    expect(slugCandidate(long, 12)).toHaveLength(SLUG_MAX_LENGTH);
    expect(slugCandidate(long, 12).endsWith('-12')).toBe(true);
  });

  it('refuses malformed and reserved slugs', () => {
    for (const bad of ['', 'Acme', 'a--b', '-a', 'a-', 'a_b', 'new', 'x'.repeat(49)]) {
      expect(isValidSlug(bad), bad).toBe(false);
    }
  });
});
