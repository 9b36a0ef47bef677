import { describe, expect, it } from 'vitest';
import {
  hashRecoveryCode,
  matchTotpStep,
  newRecoveryCodes,
  newTotpSecret,
  totpCodeAt,
  totpProvisioningUri,
  totpStepAt,
} from './totp';

describe('TOTP codes', () => {
  // RFC 6238's SHA-1 test secret ("12345678901234567890"), at its published instant.
  const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('computes the RFC 6238 test vector (6 digits of 94287082 at t=59 s)', () => {
    expect(totpCodeAt(rfcSecret, 59_000)).toBe('287082');
  });

  it('accepts a code one step either side and names its step; refuses others', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const step = totpStepAt(now);
    expect(matchTotpStep(secret, totpCodeAt(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCodeAt(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotpStep(secret, totpCodeAt(secret, now - 30_000), now)).toBe(step - 1);
    const far = totpCodeAt(secret, now + 120_000);
    if (![-1, 0, 1].some((d) => totpCodeAt(secret, now + d * 30_000) === far))
      expect(matchTotpStep(secret, far, now)).toBeNull();
    expect(matchTotpStep(secret, '12345', now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
  });

  it('gives a provisioning URI an authenticator app reads', () => {
    const uri = totpProvisioningUri('JBSWY3DPEHPK3PXP', 'ann@example.com');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Cascade%20KPI:ann%40example\.com\?/);
    expect(uri).toContain('secret=JBSWY3DPEHPK3PXP');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes from an unambiguous alphabet', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });

  it('hash the same however they are typed', () => {
    expect(hashRecoveryCode('abcde-fghjk')).toBe(hashRecoveryCode(' ABCDE FGHJK '));
    expect(hashRecoveryCode('abcde-fghjk')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('abcde-fghjk')).not.toBe(hashRecoveryCode('abcde-fghjm'));
  });
});
