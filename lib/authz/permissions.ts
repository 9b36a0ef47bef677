/** Roles a membership can hold. Unit leadership is separate: any member can lead a unit. */
export type Role = 'owner' | 'admin' | 'member';
export const ROLES: readonly Role[] = ['owner', 'admin', 'member'];

/** The one permission vocabulary, used by `can()` in the UI and `assertCan()` on the server. */
export type Permission =
  | 'org.read'
  | 'kpis.read'
  | 'kpis.read_all'
  | 'kpis.write'
  | 'targets.write'
  | 'kpis.assign_owner'
  | 'kpis.exceed_limits'
  | 'checkins.write'
  | 'checkins.remind'
  | 'units.manage'
  | 'members.manage'
  | 'settings.manage'
  | 'apikeys.manage'
  | 'reports.share'
  | 'reports.schedule'
  | 'history.read'
  | 'history.read_all'
  | 'org.delete'
  | 'org.transfer';

/** Permissions each role holds across the whole organization (DESIGN section 2). */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set<Permission>([
    'org.read',
    'kpis.read',
    'kpis.read_all',
    'kpis.write',
    'targets.write',
    'kpis.assign_owner',
    'kpis.exceed_limits',
    'checkins.write',
    'checkins.remind',
    'units.manage',
    'members.manage',
    'settings.manage',
    'apikeys.manage',
    'reports.share',
    'reports.schedule',
    'history.read',
    'history.read_all',
    'org.delete',
    'org.transfer',
  ]),
  admin: new Set<Permission>([
    'org.read',
    'kpis.read',
    'kpis.read_all',
    'kpis.write',
    'targets.write',
    'kpis.assign_owner',
    'kpis.exceed_limits',
    'checkins.write',
    'checkins.remind',
    'units.manage',
    'members.manage',
    'settings.manage',
    'apikeys.manage',
    'reports.share',
    'reports.schedule',
    'history.read',
    'history.read_all',
  ]),
  member: new Set<Permission>(['org.read']),
};

/** Permissions a unit lead holds inside the subtree of the units they lead. */
export const LEAD_SUBTREE_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'kpis.write',
  'targets.write',
  'kpis.assign_owner',
  'checkins.write',
  'checkins.remind',
]);
