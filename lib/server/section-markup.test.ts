import { describe, expect, it } from 'vitest';
import { sectionMarkup } from './section-markup';

describe('sectionMarkup', () => {
  it('renders a part of one data object once, concurrent requests included', async () => {
    const data = {};
    let renders = 0;
    const render = async () => `<p>${++renders}</p>`;
    const [a, b] = await Promise.all([
      sectionMarkup(data, 'x', render),
      sectionMarkup(data, 'x', render),
    ]);
    expect([a, b, await sectionMarkup(data, 'x', render)]).toEqual([
      '<p>1</p>',
      '<p>1</p>',
      '<p>1</p>',
    ]);
    // another part, or the same part of another object (new data), renders again
    expect(await sectionMarkup(data, 'y', render)).toBe('<p>2</p>');
    expect(await sectionMarkup({}, 'x', render)).toBe('<p>3</p>');
    expect(renders).toBe(3);
  });

  it('does not keep a failed rendering', async () => {
    const data = {};
    await expect(sectionMarkup(data, 'x', () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await sectionMarkup(data, 'x', async () => 'ok')).toBe('ok');
  });
});
