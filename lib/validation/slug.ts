/** Slugs appear in every URL (/o/<slug>): lowercase ASCII letters, digits and single dashes. */
export const SLUG_MAX_LENGTH = 48;
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words that would read as part of the app rather than an organization. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'new', 'api', 'app', 'admin', 'auth', 'login', 'logout', 'signin', 'signout', 'signup',
  'settings', 'static', 'public', 'www', 'help', 'support', 'o', 'org', 'orgs', 'demo',
]);

/** Derives a slug from an organization name: ASCII-folded, dashed, trimmed; 'organization' if nothing is left. */
export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/g, '');
  if (!base) return 'organization';
  return RESERVED_SLUGS.has(base) ? `${base}-org` : base;
}

/** Candidate slugs in order: `acme`, `acme-2`, `acme-3`, ... always within the length limit. */
export function slugCandidate(base: string, attempt: number): string {
  if (attempt <= 1) return base;
  const suffix = `-${attempt}`;
  return `${base.slice(0, SLUG_MAX_LENGTH - suffix.length).replace(/-+$/g, '')}${suffix}`;
}

/** True for a well-formed, non-reserved slug. */
export function isValidSlug(slug: string): boolean {
  return slug.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(slug) && !RESERVED_SLUGS.has(slug);
}
