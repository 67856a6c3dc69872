import { describe, expect, it } from 'vitest';
import { portalUserIdentity, portalView } from '../../../shared/domain/portal-user';
import { parentDetail } from '../../support/invite-fakes';

describe('portalUserIdentity', () => {
  it("reads the school and parent from a portal user's attributes or claims", () => {
    expect(
      portalUserIdentity({ 'custom:school_id': 'demo', 'custom:parent_id': 'Ab_1-2', sub: 'x' }),
    ).toEqual({
      schoolId: 'demo',
      parentId: 'Ab_1-2',
    });
  });

  it('refuses missing, non-text or key-breaking values, so no request can reach another key', () => {
    for (const attributes of [
      undefined,
      {},
      { 'custom:school_id': 'demo' },
      { 'custom:parent_id': 'P1' },
      { 'custom:school_id': 'demo#PARENT#x', 'custom:parent_id': 'P1' },
      { 'custom:school_id': 'demo', 'custom:parent_id': 'P1#CHILD' },
      { 'custom:school_id': 7, 'custom:parent_id': 'P1' },
      { 'custom:school_id': 'demo', 'custom:parent_id': '' },
    ]) {
      expect(portalUserIdentity(attributes)).toBeNull();
    }
  });
});

describe('portalView', () => {
  it("shows the parent's names and children, and nothing of the school's bookkeeping", () => {
    const view = portalView(
      parentDetail({
        credentials: { username: 'demo-x', created_at: 'T' },
        activated_at: 'T',
        children: [{ id: 'S1', first_name: 'Ada', last_name: 'Lovelace', grade: '4' }],
      }),
    );
    expect(view).toEqual({
      father_name: 'George',
      mother_name: 'Anne',
      children: [{ first_name: 'Ada', last_name: 'Lovelace', grade: '4' }],
    });
  });
});
