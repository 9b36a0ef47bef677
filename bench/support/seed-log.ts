// What `lib/cli/seed.ts --synthetic` prints, read back: the organization and a sign-in per role.

export type SeededOrg = { slug: string; signIns: Map<string, string>; summary: string };

/** The organization, its summary and the sign-in of each role, from what the seed printed. */
export function parseSeedOutput(out: string, seconds: number | null): SeededOrg {
  const created = /Created "([^"]+)": (.*)\./.exec(out);
  if (!created?.[1]) throw new Error(`could not read the seed output:\n${out}`);
  const signIns = new Map<string, string>();
  for (const m of out.matchAll(/^ {2}(Owner|Admin|Department lead|Team lead|Member) +(\S+@\S+)/gm))
    signIns.set(m[1]!, m[2]!);
  return {
    slug: created[1],
    signIns,
    summary: `${created[2]} (${seconds === null ? 'seeded before the run' : `seeded in ${seconds.toFixed(1)} s`})`,
  };
}
