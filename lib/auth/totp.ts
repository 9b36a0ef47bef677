import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/*
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30-second steps, what every
 * authenticator app reads) and recovery codes. No I/O: lib/dal/two-factor.ts stores and checks.
 */

export const TOTP_ISSUER = 'Cascade KPI';
const PERIOD_SECONDS = 30;
/** Codes one step either side of now are accepted (clock drift, typing time). */
const WINDOW_STEPS = 1;

/** How many recovery codes an enrolment gives. */
export const RECOVERY_CODE_COUNT = 10;

/** What the second-factor fields accept: a 6-digit code or a recovery code. */
export const TOTP_CODE_PATTERN = /^\d{6}$/;

function totpFor(secretBase32: string, label = 'account'): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random shared secret (160 bits), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans (shown as a QR code). */
export function totpProvisioningUri(secretBase32: string, email: string): string {
  return totpFor(secretBase32, email).toString();
}

/** The time step a moment falls in. */
export function totpStepAt(nowMs: number): number {
  return Math.floor(nowMs / 1000 / PERIOD_SECONDS);
}

/**
 * The time step of the code `code` if it is valid at `nowMs` (one step either side), else null.
 * The caller refuses a step it has already accepted (replay).
 */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number): number | null {
  if (!TOTP_CODE_PATTERN.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: nowMs, window: WINDOW_STEPS });
  return delta === null ? null : totpStepAt(nowMs) + delta;
}

/** The code an authenticator shows at `nowMs` (tests and the e2e journey). */
export function totpCodeAt(secretBase32: string, nowMs: number): string {
  return totpFor(secretBase32).generate({ timestamp: nowMs });
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** New recovery codes, `xxxxx-xxxxx` from an unambiguous alphabet (about 49 bits each). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

/** A recovery code as typed (any case, spaces or dashes) in its canonical form. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** What is stored for a recovery code: the sha256 of its canonical form. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code), 'utf8').digest('hex');
}

/** The provisioning URI as a QR code, an SVG data URL for an <img>. */
export async function totpQrDataUrl(uri: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
