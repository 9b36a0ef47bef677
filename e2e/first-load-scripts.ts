import type { Page, Response } from '@playwright/test';

/*
 * A page's first-load JavaScript as the budget counts it (DESIGN section 6): every script the
 * page fetches until its visit is done (the network idle), in compressed bytes as sent. Used by
 * e2e/budget.spec.ts and bench/first-load-js.ts, so the test and the benchmark count alike.
 */

export type Script = { url: string; encoding: string; bytes: number };

/**
 * Runs `visit` (a `page.goto` until the network is idle) and returns its result with every
 * script the page fetched meanwhile: its URL, its content-encoding (`none` when sent as is) and
 * its body's bytes as sent.
 */
export async function collectScripts<T>(
  page: Page,
  visit: () => Promise<T>,
): Promise<{ result: T; scripts: Script[] }> {
  const scripts: Script[] = [];
  const pending: Promise<void>[] = [];
  const onResponse = (response: Response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      (async () => {
        const sizes = await response.request().sizes();
        scripts.push({
          url: response.url(),
          encoding: (await response.allHeaders())['content-encoding'] ?? 'none',
          bytes: sizes.responseBodySize,
        });
      })(),
    );
  };
  page.on('response', onResponse);
  try {
    const result = await visit();
    await Promise.all(pending);
    return { result, scripts };
  } finally {
    page.off('response', onResponse);
  }
}

/** The scripts' compressed bytes in all. */
export const totalBytes = (scripts: readonly Script[]) =>
  scripts.reduce((sum, s) => sum + s.bytes, 0);
