import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The most common passwords from public breach-frequency lists (about 49,000, via zxcvbn-ts),
 * lower-cased; refused at sign-up and on password change.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].map((p) => p.toLowerCase()),
);
