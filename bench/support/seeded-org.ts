// The synthetic organization the resilience and scale-out scripts load: seeded through the CLI
// (as an operator would), with write keys and the KPIs values are recorded on.
import { execFileSync } from 'node:child_process';

export type SeededOrg = {
  slug: string;
  ownerEmail: string;
  password: string;
  /** Manual (recorded) KPIs: ids and keys, up to 200. */
  manual: { id: string; key: string }[];
  /** A new API key of `scope` named `name` (the secret). */
  newKey: (name: string, scope?: 'read' | 'write' | 'write:definitions') => string;
};

export function psql(url: string, query: string): string[] {
  return execFileSync('psql', [url, '-Atc', query], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
}

/** Seeds 400 KPIs, 80 people, 24 months, depth 6 into the database at `dbUrl`. */
export function seedSyntheticOrg(dbUrl: string): SeededOrg {
  const env = { ...process.env, DATABASE_URL: dbUrl };
  const seedOut = execFileSync(
    'npx',
    [
      'tsx',
      'lib/cli/seed.ts',
      '--synthetic',
      '--kpis',
      '400',
      '--people',
      '80',
      '--months',
      '24',
      '--depth',
      '6',
    ],
    { encoding: 'utf8', env },
  );
  const slug = /Created "([^"]+)"/.exec(seedOut)?.[1];
  const ownerEmail = /^ {2}Owner +(\S+)/m.exec(seedOut)?.[1];
  if (!slug || !ownerEmail) throw new Error(`could not read the seed output:\n${seedOut}`);
  const manual = psql(
    dbUrl,
    `select k.id || ' ' || k.key from kpis k join organizations o on o.id = k.org_id
      where o.slug = '${slug}' and k.rollup = 'manual' and k.archived_on is null order by k.id limit 200`,
  ).map((line) => {
    const [id, key] = line.split(' ');
    return { id: id!, key: key! };
  });
  const newKey: SeededOrg['newKey'] = (name, scope = 'write') =>
    execFileSync(
      'npx',
      ['tsx', 'lib/cli/apikey.ts', '--org', slug, '--name', name, '--scope', scope],
      { encoding: 'utf8', env },
    )
      .trim()
      .split('\n')
      .pop()!
      .trim();
  return { slug, ownerEmail, password: 'synthetic-seed-2026', manual, newKey };
}
