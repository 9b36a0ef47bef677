import { z } from 'zod';
import { issuerProblem, normalizeDomain } from '@/lib/domain/sso';
import { safeText } from './text';
import { emailSchema } from './email';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from './slug';

/** Most e-mail domains one organization's provider may serve. */
export const MAX_SSO_DOMAINS = 20;

const issuerSchema = safeText('issuer URL', { error: 'Enter the issuer URL.' })
  .trim()
  .min(1, 'Enter the issuer URL.')
  .max(500, 'The issuer URL is too long.')
  .superRefine((value, ctx) => {
    const problem = issuerProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The settings form's domains: one text, separated by commas, spaces or new lines. */
const domainsSchema = safeText('domains', { multiline: true })
  .max(5000, 'Too many domains.')
  .transform((value, ctx) => {
    const parts = value.split(/[\s,;]+/).filter(Boolean);
    const out: string[] = [];
    for (const part of parts) {
      const domain = normalizeDomain(part);
      if (!domain) {
        ctx.addIssue({ code: 'custom', message: `"${part.slice(0, 80)}" is not a domain name.` });
        return z.NEVER;
      }
      if (!out.includes(domain)) out.push(domain);
    }
    if (out.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Enter at least one e-mail domain, such as example.com.' });
      return z.NEVER;
    }
    if (out.length > MAX_SSO_DOMAINS) {
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_SSO_DOMAINS} domains.` });
      return z.NEVER;
    }
    return out;
  });

/** Saving an organization's provider. A blank secret keeps the stored one (required the first time). */
export const saveSsoConfigSchema = z
  .object({
    issuer: issuerSchema,
    clientId: safeText('client ID', { error: 'Enter the client ID.' })
      .trim()
      .min(1, 'Enter the client ID.')
      .max(300, 'The client ID is too long.'),
    clientSecret: safeText('client secret')
      .max(1000, 'The client secret is too long.')
      .default(''),
    allowedDomains: domainsSchema,
    requireSso: z.boolean(),
  })
  .strict();
export type SaveSsoConfigInput = z.input<typeof saveSsoConfigSchema>;
export type SaveSsoConfig = z.output<typeof saveSsoConfigSchema>;

/** "Test connection": the issuer as typed in the form. */
export const testSsoConnectionSchema = z.object({ issuer: issuerSchema }).strict();

/** Removing the provider takes no input. */
export const deleteSsoConfigSchema = z.object({}).strict();

/** The sign-in page's "Continue with SSO": an e-mail address or an organization's slug. */
export const findSsoSchema = z
  .object({
    emailOrSlug: safeText('e-mail or organization', { error: 'Enter your work e-mail.' })
      .trim()
      .min(1, 'Enter your work e-mail or your organization’s address name.')
      .max(254, 'That is too long.'),
  })
  .strict()
  .transform((value, ctx) => {
    if (value.emailOrSlug.includes('@')) {
      const email = emailSchema.safeParse(value.emailOrSlug);
      if (!email.success) {
        ctx.addIssue({ code: 'custom', path: ['emailOrSlug'], message: 'Enter a valid email address.' });
        return z.NEVER;
      }
      return { kind: 'email' as const, email: email.data };
    }
    const slug = value.emailOrSlug.toLowerCase();
    if (slug.length > SLUG_MAX_LENGTH || !SLUG_PATTERN.test(slug)) {
      ctx.addIssue({ code: 'custom', path: ['emailOrSlug'], message: 'Enter your work e-mail address.' });
      return z.NEVER;
    }
    return { kind: 'slug' as const, slug };
  });
