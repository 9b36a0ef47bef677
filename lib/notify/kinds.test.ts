import { describe, expect, it } from 'vitest';
import { notificationKindEnum } from '@/db/schema/enums';
import { NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS } from './kinds';

describe('notification kinds', () => {
  it('match the database enum and each has a label', () => {
    expect([...NOTIFICATION_KINDS]).toEqual(notificationKindEnum.enumValues);
    expect(Object.keys(NOTIFICATION_KIND_LABELS).sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });
});
