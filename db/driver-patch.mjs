// Run by `npm install`/`npm ci` (package.json "postinstall"): guards postgres.js's `nextWrite`
// against a connection that has already closed, makes every BEGIN reserve its connection (the
// second guard, below) and sends unprepared statements with scalar parameters in one message (the
// third, below: a pooler's round trips).
//
// postgres.js 3.4.9 (the newest release) writes small messages on a `setImmediate` and may write
// after `closed()` has set its socket to null, which throws a TypeError outside any query: an
// uncaughtException that ends the app process (upstream porsager/postgres issues 1066, 1154 and
// 1208; the fix of pull request 1209 is not released). `npm run test:resilience` hit it three times
// around a PostgreSQL restart. The guard does what that pull request does: the write is dropped
// and every query waiting on it is rejected with CONNECTION_CLOSED, which the app already treats
// as a lost connection (db/postgres.ts retires the pool). Idempotent; a driver whose code no
// longer has the unguarded line (a fixed release) is left alone with a note.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const driver = path.join(root, 'node_modules', 'postgres');

/** The driver's copies of connection.js (ESM, CommonJS, Cloudflare). */
export const DRIVER_FILES = ['src', 'cjs/src', 'cf/src'].map((dir) =>
  path.join(driver, dir, 'connection.js'),
);

const UNGUARDED = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
export const GUARD_MARK = '// kpi-cascade: guarded nextWrite';
const GUARDED = `  function nextWrite(fn) {
    ${GUARD_MARK}
    if (!socket) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`;

/** Patches one file's text: the guarded text, or null when there is nothing to patch. */
export function guardNextWrite(text) {
  if (text.includes(GUARD_MARK)) return null;
  if (!text.includes(UNGUARDED)) return null;
  return text.replace(UNGUARDED, GUARDED);
}

// The second guard: a transaction's BEGIN always makes its connection the transaction's.
//
// postgres.js reserves the connection for `sql.begin` (drizzle's transactions) in an `onexecute`
// callback that it evaluates last in a chain of `&&`: when the chain stops earlier (the socket's
// buffer is full, or the connection takes no further statement, which `max_pipeline: 0` makes
// always true), the callback never runs and BEGIN fails with UNSAFE_TRANSACTION ("Only use
// sql.begin, sql.reserved or max: 1"). db/postgres.ts sets `max_pipeline: 0` behind a pooler in
// transaction mode, so the callback runs first here; what the function returns is unchanged
// (the callback's own result is falsy: a reserved connection takes no other statement).
const ONEXECUTE_LAST = `      return write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
        && (!q.options.onexecute || q.options.onexecute(connection))`;
export const ONEXECUTE_MARK = '// kpi-cascade: onexecute always runs';
const ONEXECUTE_FIRST = `      ${ONEXECUTE_MARK}
      const written = write(toBuffer(q))
      if (q.options.onexecute)
        return q.options.onexecute(connection), false
      return written
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline`;

/** Patches one file's text: onexecute runs for every BEGIN, or null when nothing to patch. */
export function runOnExecute(text) {
  if (text.includes(ONEXECUTE_MARK)) return null;
  if (!text.includes(ONEXECUTE_LAST)) return null;
  return text.replace(ONEXECUTE_LAST, ONEXECUTE_FIRST);
}

// The third: an unprepared statement whose parameters are all scalars goes out in one message.
//
// postgres.js asks the server for the parameter types of every statement with parameters that it
// does not prepare (Parse and Describe, then it waits for the answer before it sends Bind and
// Execute), to serialize each value by its type. Behind a pooler in transaction mode nothing is
// prepared (DATABASE_POOLER=transaction), so every such statement cost two round trips, and a
// connection waiting on a description takes no other statement, so the app's pipelined
// transactions did not pipeline there. Scalars (strings, numbers, booleans, bigints, bytes, null)
// need no description: their types are inferred from the values as for a prepared statement, or
// sent as unknown for the server to resolve from the statement (as libpq does), and their text is
// what the described path sends for every type the app binds (drizzle binds json and dates as
// text and makes their serializers pass text through). Arrays and other objects (a Date among
// them) are still described.
const DESCRIBE_ALWAYS = `    q.describeFirst = q.onlyDescribe || (parameters.length && !q.prepared)`;
export const DESCRIBE_MARK = '// kpi-cascade: scalars not described';
const DESCRIBE_OBJECTS = `    ${DESCRIBE_MARK}
    q.describeFirst = q.onlyDescribe || (parameters.length && !q.prepared && (q.prepare ||
      !parameters.every(x => x === null || typeof x !== 'object' || x instanceof Uint8Array)))`;

/** Patches one file's text: scalars of unprepared statements not described, or null. */
export function skipScalarDescribe(text) {
  if (text.includes(DESCRIBE_MARK)) return null;
  if (!text.includes(DESCRIBE_ALWAYS)) return null;
  return text.replace(DESCRIBE_ALWAYS, DESCRIBE_OBJECTS);
}

function main() {
  if (!fs.existsSync(driver)) return; // not installed (yet): nothing to patch
  for (const file of DRIVER_FILES) {
    if (!fs.existsSync(file)) continue;
    let text = fs.readFileSync(file, 'utf8');
    const patched = guardNextWrite(text);
    if (patched !== null) {
      text = patched;
      fs.writeFileSync(file, text);
      console.log(`guarded postgres.js nextWrite in ${path.relative(root, file)}`);
    } else if (!text.includes(GUARD_MARK)) {
      console.log(`postgres.js ${path.relative(root, file)} has no unguarded nextWrite: left alone`);
    }
    const reordered = runOnExecute(text);
    if (reordered !== null) {
      text = reordered;
      fs.writeFileSync(file, text);
      console.log(`postgres.js runs onexecute first in ${path.relative(root, file)}`);
    } else if (!text.includes(ONEXECUTE_MARK)) {
      console.log(`postgres.js ${path.relative(root, file)} has no onexecute chain: left alone`);
    }
    const undescribed = skipScalarDescribe(text);
    if (undescribed !== null) {
      fs.writeFileSync(file, undescribed);
      console.log(`postgres.js sends unprepared scalars undescribed in ${path.relative(root, file)}`);
    } else if (!text.includes(DESCRIBE_MARK)) {
      console.log(`postgres.js ${path.relative(root, file)} has no describe rule: left alone`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
