import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { installAbortReasonStackRelease } from './abort-reason-stacks';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const originalAbort = AbortController.prototype.abort;
const marker = Symbol.for('kpi.abortReasonStacks');

afterAll(() => {
  AbortController.prototype.abort = originalAbort;
  delete (AbortController.prototype as unknown as Record<PropertyKey, unknown>)[marker];
});

/**
 * Aborts a controller with an Error made inside a method of a fresh object (as React makes its
 * "render completed" Error inside an Immediate's callback) and says whether that object outlives
 * full collections while only the aborted signal is kept.
 */
async function receiverOutlivesAbort(): Promise<boolean> {
  const controller = new AbortController();
  let receiver: { finish(): void } | null = {
    finish() {
      controller.abort(new Error('This render completed successfully.'));
    },
  };
  const ref = new WeakRef(receiver);
  receiver.finish();
  receiver = null;
  for (let i = 0; i < 3; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
  expect(controller.signal.aborted).toBe(true);
  return ref.deref() !== undefined;
}

describe('installAbortReasonStackRelease', () => {
  it('without it, an aborted signal keeps the receiver of the frame that made its reason', async () => {
    expect(await receiverOutlivesAbort()).toBe(true);
  });

  it('with it, the reason keeps its stack as text and the receiver is collected', async () => {
    installAbortReasonStackRelease();
    installAbortReasonStackRelease(); // idempotent: one wrapper
    expect(await receiverOutlivesAbort()).toBe(false);
    const controller = new AbortController();
    const reason = new Error('gone');
    controller.abort(reason);
    expect(controller.signal.reason).toBe(reason);
    expect(reason.stack).toContain('gone');
    expect(reason.stack).toContain('abort-reason-stacks.test.ts');
  });

  it('leaves aborts without an Error reason as they were', () => {
    installAbortReasonStackRelease();
    const plain = new AbortController();
    plain.abort();
    expect((plain.signal.reason as DOMException).name).toBe('AbortError');
    const text = new AbortController();
    text.abort('stop');
    expect(text.signal.reason).toBe('stop');
  });
});
