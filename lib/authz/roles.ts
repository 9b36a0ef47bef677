import type { Role } from './permissions';

/**
 * What the product says about roles, in one place: outside lib/authz no code compares role
 * strings (ESLint refuses it); it asks `can()` for a permission or uses these.
 */

/** The owner holds the organization: they can be neither removed nor demoted, only replaced. */
export function isOwnerRole(role: Role): role is 'owner' {
  return role === 'owner';
}

/** The role a demoted owner keeps after transferring ownership. */
export const FORMER_OWNER_ROLE: Role = 'admin';

/** Display names of the roles. */
export const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };

/** "an admin", "a member": the role inside a sentence. */
export function roleInSentence(role: Role): string {
  return { owner: 'the owner', admin: 'an admin', member: 'a member' }[role];
}

/** The role a person gets when single sign-on creates their account just in time. */
export const SSO_JOIN_ROLE: Role = 'member';
