/*
 * Why the app's heap grew without bound under steady load (bench/RESULTS.md, 2026-12-06 11:00):
 *
 * When React's server renderer finishes a page it aborts the render's `cacheController` with a
 * new Error ("This render completed successfully..."). V8 keeps an Error's stack as call-site
 * records until `.stack` is first read, and each record holds its frame's receiver. That Error is
 * made inside a setImmediate callback, so one receiver is a Node `Immediate`, and Node leaves run
 * Immediates linked to their batch (`_idleNext`, `_idlePrev`). A batch mixes the immediates of
 * every request in flight, and each immediate carries its request's async context (the render,
 * the response). So anything long-lived that holds one request's context (a database socket
 * opened during a request holds it for the connection's life) held every request chained to it:
 * about a thousand finished requests, 150 MB more live heap per minute at 50 requests a second,
 * let go only when the load stopped.
 *
 * Reading `.stack` formats it into a string and V8 drops the call-site records, and with them the
 * chain. So at server start (instrumentation.ts) AbortController#abort formats an Error reason's
 * stack before it aborts; nothing else about the abort changes.
 */

const installed = Symbol.for('kpi.abortReasonStacks');

/** Patches AbortController#abort so an Error reason keeps its stack as text only. Idempotent. */
export function installAbortReasonStackRelease(): void {
  const proto = AbortController.prototype as AbortController & Record<PropertyKey, unknown>;
  if (proto[installed]) return;
  const original = proto.abort;
  proto.abort = function abort(this: AbortController, reason?: unknown) {
    if (reason instanceof Error) void reason.stack;
    return original.call(this, reason);
  };
  proto[installed] = true;
}
