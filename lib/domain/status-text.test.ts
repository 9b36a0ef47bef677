import { describe, expect, it } from 'vitest';
import { STATUSES } from '@/lib/domain/progress';
import { STATUS_LABEL, statusText } from './status-text';

describe('statusText', () => {
  it('names every status', () => {
    expect(STATUSES.map((s) => STATUS_LABEL[s])).toEqual([
      'On track',
      'At risk',
      'Off track',
      'In progress',
      'No data',
    ]);
  });
  it('shows an ungraded flow with its pace', () => {
    expect(statusText('in_progress', 0.41, 'en-US')).toBe('In progress · 41% of pace');
    expect(statusText('in_progress', null, 'en-US')).toBe('In progress');
  });
  it('never adds the pace to a graded status', () => {
    expect(statusText('off_track', 0.41, 'en-US')).toBe('Off track');
    expect(statusText('on_track', null, 'en-US')).toBe('On track');
  });
});
