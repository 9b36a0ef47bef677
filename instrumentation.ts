// Runs once when a server process starts: open the database (applying pending migrations) so the
// first request does not pay for it and a broken configuration fails at start, not mid-request;
// then start the job worker.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  // Before any request: route handlers learn the socket address only through this header.
  const { installPeerAddressHeader } = await import('./lib/security/peer-address');
  installPeerAddressHeader();
  // Before any render: React's finished renders must not chain requests together in the heap.
  const { installAbortReasonStackRelease } = await import('./lib/server/abort-reason-stacks');
  installAbortReasonStackRelease();
  const { prepareDatabase, startInProcessWorker } = await import('./lib/server/startup');
  await prepareDatabase();
  // The job worker (reminders, mail) runs in the app process by default (JOBS_WORKER=0: not).
  await startInProcessWorker();
}
