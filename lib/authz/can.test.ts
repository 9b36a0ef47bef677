import { describe, expect, it } from 'vitest';
import { can, scopeNeedsUnitTree, type AuthzScope } from './can';
import { isOwnerRole, roleInSentence, ROLE_LABEL } from './roles';
import type { Permission, Role } from './permissions';

// Unit tree: company > sales > sales-team ; company > eng
const unitParentOf = new Map<string, string | null>([
  ['company', null],
  ['sales', 'company'],
  ['sales-team', 'sales'],
  ['eng', 'company'],
]);

function scope(role: Role, opts: { userId?: string; led?: string[]; home?: string } = {}): AuthzScope {
  return {
    actor: { userId: opts.userId ?? 'me', role, homeUnitId: opts.home ?? 'company', ledUnitIds: opts.led ?? [] },
    unitParentOf,
  };
}

const owner = scope('owner');
const admin = scope('admin');
const salesLead = scope('member', { userId: 'sales-lead', led: ['sales'], home: 'sales' });
const engLead = scope('member', { userId: 'eng-lead', led: ['eng'], home: 'eng' });
const kpiOwner = scope('member', { userId: 'alice', home: 'sales-team' });
const otherMember = scope('member', { userId: 'bob', home: 'sales-team' });

type Row = [string, AuthzScope, Permission, Parameters<typeof can>[2], boolean];

// Written from DESIGN section 2's table, independently of the implementation.
const table: Row[] = [
  // see non-individual KPIs: everyone
  ['member sees a team KPI', otherMember, 'kpis.read', { isIndividual: false, ownerUserId: 'alice' }, true],
  // individual KPIs
  ['person sees own individual KPI', kpiOwner, 'kpis.read', { isIndividual: true, ownerUserId: 'alice', ownerHomeUnitId: 'sales-team' }, true],
  ['colleague does not see it', otherMember, 'kpis.read', { isIndividual: true, ownerUserId: 'alice', ownerHomeUnitId: 'sales-team' }, false],
  ['lead above sees it', salesLead, 'kpis.read', { isIndividual: true, ownerUserId: 'alice', ownerHomeUnitId: 'sales-team' }, true],
  ['lead of another subtree does not', engLead, 'kpis.read', { isIndividual: true, ownerUserId: 'alice', ownerHomeUnitId: 'sales-team' }, false],
  ['admin sees it', admin, 'kpis.read', { isIndividual: true, ownerUserId: 'alice', ownerHomeUnitId: 'sales-team' }, true],
  // create / edit KPIs
  ['owner edits any KPI', owner, 'kpis.write', { unitId: 'eng' }, true],
  ['admin edits any KPI', admin, 'kpis.write', { unitId: 'company' }, true],
  ['lead edits in subtree', salesLead, 'kpis.write', { unitId: 'sales-team' }, true],
  ['lead edits own unit', salesLead, 'kpis.write', { unitId: 'sales' }, true],
  ['lead cannot edit the parent unit', salesLead, 'kpis.write', { unitId: 'company' }, false],
  ['lead cannot edit another department', salesLead, 'kpis.write', { unitId: 'eng' }, false],
  ['member cannot edit', kpiOwner, 'kpis.write', { unitId: 'sales-team' }, false],
  // targets
  ['lead sets targets in subtree', salesLead, 'targets.write', { unitId: 'sales-team' }, true],
  ['member cannot set targets', kpiOwner, 'targets.write', { unitId: 'sales-team', ownerUserId: 'alice' }, false],
  // assign owner
  ['lead assigns someone from the subtree', salesLead, 'kpis.assign_owner', { unitId: 'sales-team', assigneeHomeUnitId: 'sales-team' }, true],
  ['lead cannot assign someone from elsewhere', salesLead, 'kpis.assign_owner', { unitId: 'sales-team', assigneeHomeUnitId: 'eng' }, false],
  ['lead cannot assign outside the subtree', salesLead, 'kpis.assign_owner', { unitId: 'eng', assigneeHomeUnitId: 'eng' }, false],
  ['admin assigns anyone', admin, 'kpis.assign_owner', { unitId: 'eng', assigneeHomeUnitId: 'sales' }, true],
  ['member cannot assign', kpiOwner, 'kpis.assign_owner', { unitId: 'sales-team', assigneeHomeUnitId: 'sales-team' }, false],
  // report share links (outside readers): owners and admins only
  ['admin shares a report', admin, 'reports.share', {}, true],
  ['lead cannot share a report', salesLead, 'reports.share', { unitId: 'sales' }, false],
  ['member cannot share a report', kpiOwner, 'reports.share', {}, false],
  ['admin schedules a report', admin, 'reports.schedule', {}, true],
  ['lead cannot schedule a report', salesLead, 'reports.schedule', { unitId: 'sales' }, false],
  ['member cannot schedule a report', kpiOwner, 'reports.schedule', {}, false],
  // check-ins
  ['KPI owner records values', kpiOwner, 'checkins.write', { unitId: 'sales-team', ownerUserId: 'alice' }, true],
  ['other member cannot', otherMember, 'checkins.write', { unitId: 'sales-team', ownerUserId: 'alice' }, false],
  ['nobody owns it: member cannot', otherMember, 'checkins.write', { unitId: 'sales-team', ownerUserId: null }, false],
  ['lead records in subtree', salesLead, 'checkins.write', { unitId: 'sales-team', ownerUserId: 'alice' }, true],
  ['other lead cannot', engLead, 'checkins.write', { unitId: 'sales-team', ownerUserId: 'alice' }, false],
  ['admin records anywhere', admin, 'checkins.write', { unitId: 'eng', ownerUserId: null }, true],
  // reminding an owner now: a lead of the KPI's unit or of the owner's home unit; admins anywhere
  ['lead reminds about a KPI of the subtree', salesLead, 'checkins.remind', { unitId: 'sales-team', ownerHomeUnitId: 'eng' }, true],
  ['lead reminds a person of the subtree', salesLead, 'checkins.remind', { unitId: 'eng', ownerHomeUnitId: 'sales-team' }, true],
  ['lead cannot remind outside the subtree', salesLead, 'checkins.remind', { unitId: 'eng', ownerHomeUnitId: 'eng' }, false],
  ['member cannot remind, not even about their own KPI', kpiOwner, 'checkins.remind', { unitId: 'sales-team', ownerUserId: 'alice', ownerHomeUnitId: 'sales-team' }, false],
  ['admin reminds anyone', admin, 'checkins.remind', { unitId: 'eng', ownerHomeUnitId: 'eng' }, true],
  // units, members, settings
  ['admin edits units', admin, 'units.manage', {}, true],
  ['lead cannot edit units', salesLead, 'units.manage', { unitId: 'sales' }, false],
  ['admin manages members', admin, 'members.manage', { memberRole: 'member' }, true],
  ['admin cannot manage the owner', admin, 'members.manage', { memberRole: 'owner' }, false],
  ['owner manages the owner role', owner, 'members.manage', { memberRole: 'owner' }, true],
  ['member cannot manage members', otherMember, 'members.manage', { memberRole: 'member' }, false],
  ['admin changes settings', admin, 'settings.manage', {}, true],
  ['admin manages API keys', admin, 'apikeys.manage', {}, true],
  ['lead cannot manage API keys', salesLead, 'apikeys.manage', {}, false],
  // history: the whole organization's for owners and admins; a KPI's for its owner and leads above
  ['admin reads the org history', admin, 'history.read_all', {}, true],
  ['owner reads the org history', owner, 'history.read_all', {}, true],
  ['lead cannot read the org history', salesLead, 'history.read_all', {}, false],
  ['member cannot read the org history', kpiOwner, 'history.read_all', {}, false],
  ['admin reads any KPI history', admin, 'history.read', { unitId: 'eng', isIndividual: true, ownerUserId: 'alice', ownerHomeUnitId: 'sales-team' }, true],
  ['lead reads a subtree KPI history', salesLead, 'history.read', { unitId: 'sales-team', ownerUserId: 'alice' }, true],
  ['lead does not read another subtree KPI history', engLead, 'history.read', { unitId: 'sales-team', ownerUserId: 'alice' }, false],
  ['lead does not read a hidden individual KPI history in the subtree', salesLead, 'history.read', { unitId: 'sales-team', isIndividual: true, ownerUserId: 'carol', ownerHomeUnitId: 'eng' }, false],
  ['owner of a KPI reads its history', kpiOwner, 'history.read', { unitId: 'eng', ownerUserId: 'alice' }, true],
  ['owner of an individual KPI reads its history', kpiOwner, 'history.read', { unitId: 'sales-team', isIndividual: true, ownerUserId: 'alice', ownerHomeUnitId: 'sales-team' }, true],
  ['member does not read a colleague KPI history', otherMember, 'history.read', { unitId: 'sales-team', ownerUserId: 'alice' }, false],
  ['member does not read an unowned KPI history', otherMember, 'history.read', { unitId: 'sales-team', ownerUserId: null }, false],
  // owner-only
  ['owner deletes the org', owner, 'org.delete', {}, true],
  ['admin cannot delete the org', admin, 'org.delete', {}, false],
  ['owner transfers ownership', owner, 'org.transfer', {}, true],
  ['admin cannot transfer ownership', admin, 'org.transfer', {}, false],
  // org-wide reading and the KPI limits
  ['owner reads every KPI', owner, 'kpis.read_all', {}, true],
  ['admin reads every KPI', admin, 'kpis.read_all', {}, true],
  ['lead does not read every KPI', salesLead, 'kpis.read_all', { unitId: 'sales' }, false],
  ['member does not read every KPI', kpiOwner, 'kpis.read_all', {}, false],
  ['admin may go past the KPI limits', admin, 'kpis.exceed_limits', {}, true],
  ['lead may not go past the KPI limits', salesLead, 'kpis.exceed_limits', { unitId: 'sales' }, false],
];

describe('can(): the permission table', () => {
  it.each(table)('%s', (_name, who, permission, target, expected) => {
    expect(can(who, permission, target)).toBe(expected);
  });
});

describe('scopeNeedsUnitTree(): only a lead without an org-wide role is judged on the tree', () => {
  it.each([
    ['owner', owner, false],
    ['owner who also leads a unit', scope('owner', { led: ['sales'] }), false],
    ['admin who leads a unit', scope('admin', { led: ['eng'] }), false],
    ['member who leads a unit', salesLead, true],
    ['member who leads nothing', kpiOwner, false],
  ] as const)('%s', (_name, who, expected) => {
    expect(scopeNeedsUnitTree(who.actor)).toBe(expected);
  });
});

describe('roles', () => {
  it('only the owner role is the owner', () => {
    expect([isOwnerRole('owner'), isOwnerRole('admin'), isOwnerRole('member')]).toEqual([true, false, false]);
  });
  it('names each role', () => {
    expect(ROLE_LABEL).toEqual({ owner: 'Owner', admin: 'Admin', member: 'Member' });
    expect(['owner', 'admin', 'member'].map((r) => roleInSentence(r as 'owner'))).toEqual([
      'the owner',
      'an admin',
      'a member',
    ]);
  });
});
