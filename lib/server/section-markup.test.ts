import { describe, expect, it, vi } from 'vitest';
import { sectionMarkup, sectionMarkupStats } from './section-markup';

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

  it('counts the markup it keeps against its own byte budget', async () => {
    const before = sectionMarkupStats();
    expect(before.maxBytes).toBeGreaterThan(0);
    expect(before.maxBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    const html = `<p>${'x'.repeat(993)}</p>`; // 1,000 characters
    await sectionMarkup({}, 'budget', async () => html);
    const after = sectionMarkupStats();
    expect(after.entries).toBe(before.entries + 1);
    expect(after.bytes - before.bytes).toBe(2000);
  });

  it('keys two copies of the module the same way (one cache per process)', async () => {
    vi.resetModules();
    const other = await import('./section-markup');
    const data = {};
    await sectionMarkup(data, 'shared', async () => 'first');
    expect(await other.sectionMarkup(data, 'shared', async () => 'second')).toBe('first');
    // a new object never gets another object's markup, whichever copy numbered it
    expect(await other.sectionMarkup({}, 'shared', async () => 'third')).toBe('third');
  });
});
