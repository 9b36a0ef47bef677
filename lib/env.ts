import { z } from 'zod';
import { databaseEnvShape, parseConfig } from '@/db/env';
import { parseTrustedProxies } from '@/lib/security/client-address';
import { decodeKey } from '@/lib/security/secret-box';

/**
 * Server configuration, validated once. Everything is optional in development so that
 * `npm run dev` works with no env file; production refuses to start without a real secret.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    ...databaseEnvShape,
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
    /** Encrypts second-factor (TOTP) secrets at rest; default: derived from AUTH_SECRET. */
    TOTP_SECRET_KEY: z.string().min(32, 'TOTP_SECRET_KEY must be at least 32 characters').optional(),
    SESSION_MAX_AGE_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .max(60 * 60 * 24 * 30)
      .default(60 * 60 * 12),
    /** Invitation e-mails go out through this server when set (smtp:// or smtps://). */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Cascade KPI <no-reply@localhost>'),
    /** Requests per API key and minute before the API answers 429 with Retry-After. */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    /** `0`: the app process starts no job worker (run `npm run worker` or `jobs:run-due` instead). */
    JOBS_WORKER: z.enum(['0', '1'], { error: 'JOBS_WORKER must be 0 or 1' }).default('1'),
    /** Public base URL of the app, for absolute links in e-mails (for example https://kpi.example.com). */
    APP_URL: z.url('APP_URL must be an absolute URL').optional(),
    /**
     * Key for the organizations' SSO client secrets at rest (AES-256-GCM): 32 bytes as 64 hex
     * characters or base64. Unset: derived from AUTH_SECRET (README "Single sign-on").
     */
    SSO_SECRET_KEY: z
      .string()
      .optional()
      .refine((value) => value === undefined || decodeKey(value) !== null, {
        message: 'SSO_SECRET_KEY must be 32 bytes: 64 hex characters or base64 (openssl rand -base64 32)',
      }),
    /**
     * Key for integration credentials at rest (webhook signing secrets, SQL source connection
     * URLs), like SSO_SECRET_KEY. Unset: derived from AUTH_SECRET.
     */
    INTEGRATIONS_SECRET_KEY: z
      .string()
      .optional()
      .refine((value) => value === undefined || decodeKey(value) !== null, {
        message: 'INTEGRATIONS_SECRET_KEY must be 32 bytes: 64 hex characters or base64 (openssl rand -base64 32)',
      }),
    /**
     * `1`: webhook endpoints may be http and point to private, loopback or link-local addresses
     * (tests, local receivers). Unset or `0`: https to public addresses only (README "Webhooks").
     */
    WEBHOOKS_ALLOW_PRIVATE: z
      .enum(['0', '1'], { error: 'WEBHOOKS_ALLOW_PRIVATE must be 0 or 1' })
      .default('0'),
    /** Sign-up attempts one client address may make an hour (README "Sessions and sign-in"). */
    SIGN_UP_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
    /**
     * Proxies in front of the app whose X-Forwarded-For is believed: a hop count or a list of
     * addresses / CIDR ranges. Unset: the socket address is the client.
     */
    TRUSTED_PROXIES: z
      .string()
      .max(2000)
      .optional()
      .superRefine((value, ctx) => {
        try {
          parseTrustedProxies(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.AUTH_SECRET && process.env.NEXT_PHASE !== 'phase-production-build') {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'AUTH_SECRET is required in production (generate one with `openssl rand -base64 32`)',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Parses an environment record; throws one readable error listing every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  return parseConfig(envSchema, source);
}

let cached: Env | undefined;

/** The validated process environment (parsed on first use). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
