/**
 * Hostile input on a real database never reaches a 500 and never writes: NUL and other control or
 * format characters in API notes, KPI descriptions, CSV cells and names (zero-width, bidi
 * overrides) are refused with a clear message; path parameters of no valid shape are a 404
 * before any query; period keys of year 0000/0001 are a 400 from API and CSV routes; CSV files
 * between 1 and 2 MB import through the streaming route and larger ones are refused (413) with
 * nothing written; share links stop working when their creator is demoted or removed.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { users } from '@/db/schema';
import { GET as dashboardRoute } from '@/app/api/o/[orgSlug]/dashboard/route';
import { GET as reportCsvRoute } from '@/app/api/o/[orgSlug]/reports/csv/route';
import { POST as importRoute } from '@/app/api/o/[orgSlug]/checkins-import/route';
import { GET as getKpiRoute } from '@/app/api/v1/kpis/[kpi]/route';
import { POST as postCheckins } from '@/app/api/v1/checkins/route';
import { createApiKeyAction } from '@/lib/actions/api-keys';
import { signUpAction } from '@/lib/actions/auth';
import { importCheckinsAction, previewCheckinImportAction } from '@/lib/actions/imports';
import { createKpiAction, updateKpiAction } from '@/lib/actions/kpis';
import { changeMemberRoleAction, removeMemberAction } from '@/lib/actions/people';
import { createReportShareAction, saveKpiCommentaryAction } from '@/lib/actions/reports';
import { createUnitAction } from '@/lib/actions/units';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { runWithClientAddress } from '@/lib/server/client-address';
import { getSharedReport, listReportShares } from '@/lib/dal/reports/shares';
import { resolveOrgContext } from '@/lib/server/org-context';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { MAX_IMPORT_BYTES } from '@/lib/domain/import-limits';
import { periodStart } from '@/lib/domain/periods';
import { as, checkinCount, kpiInput, kpiVersion, must, refused } from './cascade-helpers';
import { addTestMember, createTestOrg, TEST_PASSWORD } from './factories';

const CONTROL = 'Remove the invisible or control characters from the';

async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const tag = randomUUID().slice(0, 6);
  const key = `hostile.kpi_${tag}`;
  const kpi = await as(owner, async () =>
    must(await createKpiAction(org.slug, kpiInput(rootUnitId, { name: 'Bookings', key }))),
  );
  const apiKey = await as(owner, async () =>
    must(await createApiKeyAction(org.slug, { name: 'Sync', scope: 'write' })),
  );
  return { org, owner, rootUnitId, kpi, key, secret: apiKey.secret, tag };
}
type Org = Awaited<ReturnType<typeof buildOrg>>;

function orgGet(
  handler: typeof dashboardRoute,
  claims: SessionClaims,
  slug: string,
  query = '',
): Promise<Response> {
  return runWithSession(claims, () =>
    handler(new Request(`http://localhost/api/o/x/y${query}`), {
      params: Promise.resolve({ orgSlug: slug }),
    }),
  );
}

function upload(
  claims: SessionClaims,
  slug: string,
  mode: string,
  body: BodyInit,
  origin = 'http://localhost',
): Promise<Response> {
  return runWithSession(claims, () =>
    importRoute(
      new Request(`http://localhost/api/o/${slug}/checkins-import?mode=${mode}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', origin, host: 'localhost' },
        body,
      }),
      { params: Promise.resolve({ orgSlug: slug }) },
    ),
  );
}

describe('hostile input', () => {
  let a: Org;
  let today: string;
  beforeAll(async () => {
    a = await buildOrg();
    today = todayInTimeZone(a.org.timeZone);
  }, 60_000);

  it('refuses a NUL in an API note with a 422 naming the field, nothing written', async () => {
    const before = await checkinCount(a.org.id);
    const response = await postCheckins(
      new Request('http://localhost/api/v1/checkins', {
        method: 'POST',
        headers: { authorization: `Bearer ${a.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kpi: a.key, observedOn: today, value: '3', note: 'ok\u0000not' }),
      }),
      { params: Promise.resolve({} as never) },
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as {
      error: { details: { path: string; message: string }[] };
    };
    expect(body.error.details).toContainEqual({ path: 'note', message: `${CONTROL} note` });
    expect(await checkinCount(a.org.id)).toBe(before);
  });

  it('answers 404 for a KPI path parameter holding a NUL or garbage, without a query', async () => {
    for (const ref of ['a\u0000b', '\u0000', 'SELECT *', 'x'.repeat(99)]) {
      const response = await getKpiRoute(
        new Request('http://localhost/api/v1/kpis/x', {
          headers: { authorization: `Bearer ${a.secret}` },
        }),
        { params: Promise.resolve({ kpi: ref }) },
      );
      expect(response.status, ref).toBe(404);
    }
  });

  it('answers 404 for an org slug holding a NUL or garbage', async () => {
    for (const slug of ['\u0000', `${a.org.slug}\u0000`, 'Bad Slug', '%ff', 'a'.repeat(65)]) {
      expect((await orgGet(dashboardRoute, a.owner, slug)).status, slug).toBe(404);
    }
    expect((await orgGet(dashboardRoute, a.owner, a.org.slug)).status).toBe(200);
  });

  it('refuses a NUL or a bidi override in a KPI description, and keeps newlines', async () => {
    const version = await kpiVersion(a.kpi.id);
    for (const description of ['Counts deals\u0000', 'Counts \u202edeals']) {
      const error = refused(
        await as(a.owner, () =>
          updateKpiAction(a.org.slug, { kpiId: a.kpi.id, version, description }),
        ),
      );
      expect(error.fieldErrors?.description).toEqual([`${CONTROL} description`]);
    }
    expect(await kpiVersion(a.kpi.id)).toBe(version);
    must(
      await as(a.owner, () =>
        updateKpiAction(a.org.slug, {
          kpiId: a.kpi.id,
          version,
          description: 'Line one\n\tLine two',
        }),
      ),
    );
  });

  it('refuses a NUL in commentary', async () => {
    const error = refused(
      await as(a.owner, () =>
        saveKpiCommentaryAction(a.org.slug, {
          kpiId: a.kpi.id,
          periodStart: periodStart(today, 'month', 1),
          analysis: 'Up\u0000',
        }),
      ),
    );
    expect(error.fieldErrors?.analysis).toEqual([`${CONTROL} analysis`]);
  });

  it('refuses zero-width, bidi-control and letterless names everywhere a name is given', async () => {
    const names: [string, string][] = [
      ['\u200b\u200b', `${CONTROL} name`],
      ['Sales \u202eECNANIF', `${CONTROL} name`],
      ['\u2066Ops\u2069', `${CONTROL} name`],
      ['---', 'Use at least one letter or digit in the name'],
    ];
    for (const [name, message] of names) {
      const unit = refused(
        await as(a.owner, () =>
          createUnitAction(a.org.slug, { parentId: a.rootUnitId, kind: 'department', name }),
        ),
      );
      expect(unit.fieldErrors?.name, name).toEqual([message]);
      const kpi = refused(
        await as(a.owner, () => createKpiAction(a.org.slug, kpiInput(a.rootUnitId, { name }))),
      );
      expect(kpi.fieldErrors?.name, name).toEqual([message]);
    }
    const apiKey = refused(
      await as(a.owner, () => createApiKeyAction(a.org.slug, { name: '\u200b', scope: 'read' })),
    );
    expect(apiKey.fieldErrors?.name).toEqual([`${CONTROL} key name`]);
    // A real name of any script still passes.
    must(
      await as(a.owner, () =>
        createUnitAction(a.org.slug, {
          parentId: a.rootUnitId,
          kind: 'team',
          name: 'Ventes Île-de-France 営業',
        }),
      ),
    );
  });

  it('refuses a spoofed name or organization name at sign-up, creating nothing', async () => {
    const email = `spoof-${randomUUID().slice(0, 8)}@example.test`;
    // From an address of its own: sign-ups are rate limited per client address.
    const result = await runWithClientAddress(`10.77.${randomInt(256)}.${randomInt(256)}`, () =>
      signUpAction({
        name: '\u200b\u200b',
        email,
        password: TEST_PASSWORD,
        orgName: 'Acme \u202eECNANIF',
      }),
    );
    const error = refused(result);
    expect(error.fieldErrors?.name).toEqual([`${CONTROL} name`]);
    expect(error.fieldErrors?.orgName).toEqual([`${CONTROL} organization name`]);
    const db = await getOwnerDb();
    expect(await db.select({ id: users.id }).from(users).where(eq(users.email, email))).toEqual([]);
  });

  it('marks CSV rows with a NUL in a cell as errors and imports nothing', async () => {
    const day = addDays(today, -3);
    const csv = [
      'kpi,observed_on,value,note',
      `${a.key},${day},5,fine`,
      `${a.key},${day},6,"bad\u0000note"`,
      `${a.key}\u0000,${day},7,x`,
      `${a.key},${day}\u0000,8,x`,
    ].join('\n');
    const preview = must(await as(a.owner, () => previewCheckinImportAction(a.org.slug, { csv })));
    expect(preview.rows.map((r) => r.status)).toEqual(['new', 'error', 'error', 'error']);
    expect(preview.rows[1]!.errors).toEqual([`note: ${CONTROL} note`]);
    expect(preview.rows[2]!.errors).toEqual(['kpi: no KPI with this key or id']);
    const before = await checkinCount(a.org.id);
    const error = refused(await as(a.owner, () => importCheckinsAction(a.org.slug, { csv })));
    expect(error.code).toBe('VALIDATION');
    expect(await checkinCount(a.org.id)).toBe(before);
  });

  it('refuses period keys of year 0000 and 0001 in API and CSV routes with a 400', async () => {
    for (const period of ['month-0000-01-01', 'year-0001-01-01', 'quarter-0001-04-01', 'junk']) {
      const q = `?period=${period}`;
      const dash = await orgGet(dashboardRoute, a.owner, a.org.slug, q);
      expect(dash.status, period).toBe(400);
      expect(((await dash.json()) as { error: { message: string } }).error.message).toMatch(
        /Choose a period/,
      );
      expect((await orgGet(reportCsvRoute, a.owner, a.org.slug, q)).status, period).toBe(400);
    }
    expect((await orgGet(reportCsvRoute, a.owner, a.org.slug)).status).toBe(200);
  });
});

describe('CSV import through the streaming route', () => {
  let a: Org;
  let today: string;
  beforeAll(async () => {
    a = await buildOrg();
    today = todayInTimeZone(a.org.timeZone);
  }, 60_000);

  /** `rows` check-ins on distinct past days, padded with long notes to about `bytes`. */
  function bigCsv(rows: number, bytes: number): string {
    const header = 'kpi,observed_on,value,note\n';
    const noteLength = Math.min(1990, Math.ceil((bytes - header.length) / rows) - 40);
    const lines = Array.from({ length: rows }, (_, i) => {
      const note = `row ${i} `.padEnd(noteLength, 'x');
      return `${a.key},${addDays(today, -(i + 1))},${100 + (i % 7)},${note}`;
    });
    return header + lines.join('\n') + '\n';
  }

  it('previews and imports a 1.5 MB file (over the 1 MB action limit)', async () => {
    const csv = bigCsv(800, 1.5 * 1024 * 1024);
    expect(csv.length).toBeGreaterThan(1.4 * 1024 * 1024);
    expect(csv.length).toBeLessThan(MAX_IMPORT_BYTES);
    const preview = await upload(a.owner, a.org.slug, 'preview', csv);
    expect(preview.status).toBe(200);
    const previewBody = (await preview.json()) as {
      ok: true;
      data: { counts: { new: number; error: number } };
    };
    expect(previewBody.data.counts).toMatchObject({ new: 800, error: 0 });
    const before = await checkinCount(a.org.id);
    const imported = await upload(a.owner, a.org.slug, 'import', csv);
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { data: { created: number } }).data.created).toBe(800);
    expect(await checkinCount(a.org.id)).toBe(before + 800);
  }, 120_000);

  it('refuses a file over 2 MB with 413 and a clear message, nothing written', async () => {
    const csv = bigCsv(1100, 2.2 * 1024 * 1024);
    expect(new TextEncoder().encode(csv).byteLength).toBeGreaterThan(MAX_IMPORT_BYTES);
    const before = await checkinCount(a.org.id);
    const response = await upload(a.owner, a.org.slug, 'import', csv);
    expect(response.status).toBe(413);
    const body = (await response.json()) as { ok: false; error: { message: string } };
    expect(body.error.message).toBe(
      'The file is larger than 2 MB: split it into smaller files. Nothing was imported.',
    );
    expect(await checkinCount(a.org.id)).toBe(before);
  });

  it('keeps the authorization of the form: signed out 401, a member without KPIs refused per row, another origin 403, another org 404', async () => {
    const csv = `kpi,observed_on,value\n${a.key},${addDays(today, -1)},1\n`;
    expect(
      (await upload(null as unknown as SessionClaims, a.org.slug, 'preview', csv)).status,
    ).toBe(401);
    expect((await upload(a.owner, a.org.slug, 'preview', csv, 'http://evil.test')).status).toBe(
      403,
    );
    const other = await createTestOrg();
    expect((await upload(other.owner, a.org.slug, 'preview', csv)).status).toBe(404);
    const member = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.rootUnitId });
    const before = await checkinCount(a.org.id);
    const response = await upload(member, a.org.slug, 'import', csv);
    expect(response.status).toBe(400);
    expect(await checkinCount(a.org.id)).toBe(before);
    expect((await upload(a.owner, a.org.slug, 'other', csv)).status).toBe(400);
    expect(
      (await upload(a.owner, a.org.slug, 'preview', new Uint8Array([0xff, 0xfe, 0x00]))).status,
    ).toBe(400);
  });
});

describe('share links of a demoted or removed admin', () => {
  it('stop working while the creator may not share, and work again when they may', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const admin = await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId });
    const month = periodStart(addDays(todayInTimeZone(org.timeZone), -40), 'month', 1);
    const share = await as(admin, async () =>
      must(await createReportShareAction(org.slug, { scope: 'company', period: `month-${month}` })),
    );
    const ownerShare = await as(owner, async () =>
      must(await createReportShareAction(org.slug, { scope: 'company', period: `month-${month}` })),
    );
    expect(await getSharedReport(share.token)).not.toBeNull();

    must(
      await as(owner, () =>
        changeMemberRoleAction(org.slug, { userId: admin.userId, role: 'member' }),
      ),
    );
    expect(await getSharedReport(share.token)).toBeNull();
    expect(await getSharedReport(ownerShare.token)).not.toBeNull();
    // The share panel marks it as not working, with the reason; the owner's link works.
    const reasons = async () =>
      Object.fromEntries(
        (await as(owner, async () => listReportShares(await resolveOrgContext(org.slug)))).map(
          (s) => [s.id, s.deadReason],
        ),
      );
    expect(await reasons()).toEqual({
      [share.id]: 'Not working: its creator is no longer an admin.',
      [ownerShare.id]: null,
    });

    must(
      await as(owner, () =>
        changeMemberRoleAction(org.slug, { userId: admin.userId, role: 'admin' }),
      ),
    );
    expect(await getSharedReport(share.token)).not.toBeNull();
    expect((await reasons())[share.id]).toBeNull();

    must(await as(owner, () => removeMemberAction(org.slug, { userId: admin.userId })));
    expect(await getSharedReport(share.token)).toBeNull();
    expect(await getSharedReport(ownerShare.token)).not.toBeNull();
    expect((await reasons())[share.id]).toBe('Not working: its creator is no longer a member.');

    await (await getOwnerDb()).delete(users).where(eq(users.id, admin.userId));
    expect(await getSharedReport(share.token)).toBeNull();
    expect((await reasons())[share.id]).toBe(
      'Not working: the account that created it was deleted.',
    );
  });
});
