import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { isTestSession } from '@/lib/auth/session';
import {
  LEAD_SUBTREE_PERMISSIONS,
  ROLE_PERMISSIONS,
  type Permission,
} from '@/lib/authz/permissions';
import { withOrgTx, type Tx } from '@/db/client';
import { AppError, forbiddenError } from '@/lib/errors';
import { fail, ok, type Result } from '@/lib/result';
import { appendDenied } from '@/lib/dal/audit';
import { toResultError } from './errors';
import { resolveOrgContext, type OrgContext } from './org-context';
import { assertSecondFactorReady } from './second-factor-gate';

type ActionDefBase<TSchema extends z.ZodType> = {
  /** The coarse gate: the actor must hold this permission somewhere in the org. */
  permission: Permission;
  /**
   * The input's schema, or a schema for the organization's locale (forms send numbers and dates
   * as the person typed them; the locale comes from the org the slug names, never the client).
   */
  input: TSchema | ((locale: string) => TSchema);
  /** A read (such as a preview): nothing changed, so no page is refreshed after it. */
  readOnly?: boolean;
  /**
   * Allowed before an admin has the second factor their organization requires (the actions
   * that enrol it); every other action refuses them (lib/server/second-factor-gate.ts).
   */
  enrolling?: boolean;
};

type ActionDef<TSchema extends z.ZodType, TOut, TLoaded = undefined> =
  | (ActionDefBase<TSchema> & TxActionDef<TSchema, TOut, TLoaded>)
  | (ActionDefBase<TSchema> & OwnTxActionDef<TSchema, TOut>);

/** An action whose DAL call runs in the tenant transaction the pipeline opens. */
type TxActionDef<TSchema extends z.ZodType, TOut, TLoaded> = {
  /**
   * Optional DAL reads before the transaction starts (they use the process-wide connection, and
   * the embedded database has only one, held by an open transaction). Checks its own permission.
   */
  load?: (args: { ctx: OrgContext; input: z.output<TSchema> }) => Promise<TLoaded>;
  /** Runs inside the tenant transaction; checks the target with assertCan and calls the DAL. */
  run: (args: {
    ctx: OrgContext;
    input: z.output<TSchema>;
    tx: Tx;
    loaded: TLoaded;
  }) => Promise<TOut>;
  runOwnTransaction?: never;
};

/**
 * An action whose DAL function opens its own tenant transaction (a pipelined one on a hot path,
 * see withOrgPipelinedTx); it authorizes its target itself, like `run`.
 */
type OwnTxActionDef<TSchema extends z.ZodType, TOut> = {
  runOwnTransaction: (args: { ctx: OrgContext; input: z.output<TSchema> }) => Promise<TOut>;
  run?: never;
  load?: never;
};

/** Could this actor ever hold the permission (by role, by leading a unit, by owning KPIs)? */
export function mayHoldPermission(ctx: OrgContext, permission: Permission): boolean {
  if (ROLE_PERMISSIONS[ctx.actor.role].has(permission)) return true;
  if (permission === 'checkins.write') return true; // members may own KPIs: checked per target
  return LEAD_SUBTREE_PERMISSIONS.has(permission) && ctx.actor.ledUnitIds.length > 0;
}

/**
 * The one pipeline for every org-scoped server action: parse (zod, strict) -> org context from
 * the session and the database -> authorize -> tenant transaction -> revalidate -> Result.
 */
export function orgAction<TSchema extends z.ZodType, TOut, TLoaded = undefined>(
  def: ActionDef<TSchema, TOut, TLoaded>,
) {
  return async function action(orgSlug: string, rawInput: z.input<TSchema>): Promise<Result<TOut>> {
    let requestId: string | undefined;
    let ctx: OrgContext | undefined;
    try {
      ctx = await resolveOrgContext(orgSlug);
      requestId = ctx.requestId;
      if (!mayHoldPermission(ctx, def.permission)) throw forbiddenError();
      if (!def.enrolling) assertSecondFactorReady(ctx);
      const schema = typeof def.input === 'function' ? def.input(ctx.org.locale) : def.input;
      const parsed = schema.safeParse(rawInput);
      if (!parsed.success) throw zodToAppError(parsed.error);
      const data = await runDef(def, ctx, parsed.data);
      if (!def.readOnly) refreshAfterSave(ctx.org.slug);
      return ok(data);
    } catch (error) {
      // A conflict means the page shows what someone else has changed since: refresh it too.
      if (ctx && error instanceof AppError && error.code === 'CONFLICT') {
        refreshAfterSave(ctx.org.slug);
      }
      if (ctx && error instanceof AppError && error.code === 'FORBIDDEN') {
        await appendDenied({
          orgId: ctx.org.id,
          actorUserId: ctx.actor.userId,
          attempted: def.permission,
          requestId,
          reason: error.message,
        });
      }
      return fail(toResultError(error, requestId));
    }
  };
}

async function runDef<TSchema extends z.ZodType, TOut, TLoaded>(
  def: ActionDef<TSchema, TOut, TLoaded>,
  ctx: OrgContext,
  input: z.output<TSchema>,
): Promise<TOut> {
  if (def.runOwnTransaction) return def.runOwnTransaction({ ctx, input });
  const { run, load } = def;
  if (!run) throw new Error('an action needs run or runOwnTransaction');
  const loaded = (load ? await load({ ctx, input }) : undefined) as TLoaded;
  return withOrgTx(ctx.org.id, (tx) => run({ ctx, input, tx, loaded }));
}

/**
 * The one refresh after a save (or a CONFLICT): every page of the org is stale, and Next
 * re-renders the page the action was called from into the action's own response, so the client
 * never refreshes itself (its React Query data aside: components/layout/use-saved.ts). Skipped
 * in tests: actions called outside a Next request have no cache store, where revalidatePath
 * throws.
 */
function refreshAfterSave(orgSlug: string): void {
  if (!isTestSession()) revalidatePath(`/o/${orgSlug}`, 'layout');
}

/** Turns zod issues into field errors keyed by dotted path. */
export function zodToAppError(error: z.ZodError): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_form';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return new AppError('VALIDATION', 'Please fix the highlighted fields.', fieldErrors);
}
