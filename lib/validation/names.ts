import { safeName } from './text';

/*
 * Names under the text rule (a letter or digit, no control or format characters). Kept apart
 * from lib/validation/auth.ts, whose password rule brings a large dictionary: the organization
 * switcher's form runs on every page.
 */

/** A person's name (sign-up, accepting an invitation). */
export const personNameString = safeName('name', {
  max: 100,
  empty: 'Enter your name.',
  tooLong: 'Use at most 100 characters.',
});

/** An organization's name (sign-up, a second organization, settings). */
export const orgNameString = safeName('organization name', {
  min: 2,
  max: 100,
  empty: 'Enter your organization name.',
  tooLong: 'Use at most 100 characters.',
});
