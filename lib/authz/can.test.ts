import { describe, expect, it } from 'vitest';
import { can, type AuthzScope } from './can';
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
  // check-ins
  ['KPI owner records values', kpiOwner, 'checkins.write', { unitId: 'sales-team', ownerUserId: 'alice' }, true],
  ['other member cannot', otherMember, 'checkins.write', { unitId: 'sales-team', ownerUserId: 'alice' }, false],
  ['nobody owns it: member cannot', otherMember, 'checkins.write', { unitId: 'sales-team', ownerUserId: null }, false],
  ['lead records in subtree', salesLead, 'checkins.write', { unitId: 'sales-team', ownerUserId: 'alice' }, true],
  ['other lead cannot', engLead, 'checkins.write', { unitId: 'sales-team', ownerUserId: 'alice' }, false],
  ['admin records anywhere', admin, 'checkins.write', { unitId: 'eng', ownerUserId: null }, true],
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
  // owner-only
  ['owner deletes the org', owner, 'org.delete', {}, true],
  ['admin cannot delete the org', admin, 'org.delete', {}, false],
  ['owner transfers ownership', owner, 'org.transfer', {}, true],
  ['admin cannot transfer ownership', admin, 'org.transfer', {}, false],
];

describe('can(): the permission table', () => {
  it.each(table)('%s', (_name, who, permission, target, expected) => {
    expect(can(who, permission, target)).toBe(expected);
  });
});
