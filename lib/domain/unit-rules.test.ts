import { describe, expect, it } from 'vitest';
import type { ParentMap } from '@/lib/domain/tree';
import { archiveUnitProblem, brokenLinksProblem, unitKindProblem } from '@/lib/domain/unit-rules';

describe('unitKindProblem', () => {
  it('accepts the kinds allowedParentKinds allows', () => {
    expect(unitKindProblem('department', 'company')).toBeNull();
    expect(unitKindProblem('team', 'department')).toBeNull();
    expect(unitKindProblem('team', 'company')).toBeNull();
  });

  it('names the allowed parents, capitalized, with a parentId field error', () => {
    expect(unitKindProblem('department', 'team')).toEqual({
      message: 'A department goes under the company.',
      fieldErrors: { parentId: ['Choose the company as the parent'] },
    });
    expect(unitKindProblem('team', 'team')).toEqual({
      message: 'A team goes under a department or the company.',
      fieldErrors: { parentId: ['Choose a department or the company as the parent'] },
    });
  });
});

describe('brokenLinksProblem', () => {
  // company > sales > emea; company > eng
  const tree: ParentMap = new Map([
    ['company', null],
    ['sales', 'company'],
    ['emea', 'sales'],
    ['eng', 'company'],
  ]);
  const link = (childName: string, childUnitId: string, parentUnitId: string) => ({
    childName,
    childUnitId,
    parentUnitId,
  });

  it('accepts links whose parent KPI stays at or above the child KPI unit', () => {
    const links = [
      link('A', 'emea', 'sales'),
      link('B', 'sales', 'sales'),
      link('C', 'eng', 'company'),
    ];
    expect(brokenLinksProblem(links, tree)).toBeNull();
  });

  it('counts every broken link and names the first three', () => {
    const moved = new Map(tree).set('emea', 'eng');
    const links = ['A', 'B', 'C', 'D'].map((n) => link(n, 'emea', 'sales'));
    const problem = brokenLinksProblem([link('ok', 'emea', 'company'), ...links], moved);
    expect(problem?.message).toBe(
      'This move would leave 4 KPI links pointing at a parent KPI that is no longer above the KPI\'s unit ("A", "B", "C", ...). Unlink or relink those KPIs first.',
    );
    expect(problem?.fieldErrors).toEqual({ parentId: ['Moving here breaks KPI links'] });
  });

  it('uses the singular for one link', () => {
    const moved = new Map(tree).set('emea', 'eng');
    expect(brokenLinksProblem([link('A', 'emea', 'sales')], moved)?.message).toMatch(
      /^This move would leave 1 KPI link pointing .* \("A"\)\./,
    );
  });
});

describe('archiveUnitProblem', () => {
  it('accepts a unit nothing depends on', () => {
    expect(archiveUnitProblem({ kpis: 0, children: 0, members: 0 })).toBeNull();
    expect(archiveUnitProblem(undefined)).toBeNull();
  });

  it('lists every dependent with its remedy, singular and plural', () => {
    expect(archiveUnitProblem({ kpis: 1, children: 2, members: 1 })).toEqual({
      message:
        'This unit still has 1 active KPI (archive or move them); 2 active units below it (archive or move them); 1 person has it as home unit (move them).',
    });
    expect(archiveUnitProblem({ kpis: 3, children: 0, members: 2 })?.message).toBe(
      'This unit still has 3 active KPIs (archive or move them); 2 people have it as home unit (move them).',
    );
  });
});
