import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

const OPERATOR_ME = {
  id: 3,
  username: 'op_admin',
  display_name: '运营管理员',
  organization: { id: 1, name: '四川蜀选供应链管理有限公司', kind: 'operator' },
  roles: ['owner'],
  home: 'operator',
  language: 'zh-hans',
};
const MCN_ME = {
  ...OPERATOR_ME,
  username: 'mcn_owner',
  organization: { id: 14, name: '成都某 MCN', kind: 'mcn' },
  home: 'mcn',
};

const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });

describe('parties pages', () => {
  it('lists organizations and invitations for the operator', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: OPERATOR_ME },
      'GET /api/parties/organizations/': {
        body: page([
          {
            id: 2,
            name: '宜宾叙府窖酒业有限公司',
            kind: 'brand',
            credit_code: '91511500000011009A',
            city: '宜宾市',
            county: '翠屏区',
            is_active: true,
            created_at: '2026-01-01T00:00:00Z',
          },
        ]),
      },
      'GET /api/parties/invitations/': { body: page([]) },
    });
    renderApp('/parties/organizations');
    const table = await screen.findByTestId('organizations-table');
    expect(await within(table).findByText('宜宾叙府窖酒业有限公司')).toBeInTheDocument();
    expect(within(table).getByText('品牌商')).toBeInTheDocument();
    expect(within(table).getByText('宜宾市 翠屏区')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '邀请' })).toBeInTheDocument();
    expect(calls.find((c) => c.path.startsWith('/api/parties/organizations/'))?.path).toContain(
      'page=1',
    );
  });

  it('lists anchors with accounts, fans and MCN binding for an MCN', async () => {
    mockApi({
      'GET /api/auth/me/': { body: MCN_ME },
      'GET /api/parties/anchors/': {
        body: page([
          {
            id: 8,
            name: '阿依',
            kind: 'person',
            region: '凉山州 会理市',
            accounts: [
              {
                platform: 'douyin',
                platform_uid: 'dy1',
                nickname: '大凉山阿依',
                fans: 1200000,
                main_categories: ['水果'],
              },
              {
                platform: 'kuaishou',
                platform_uid: 'ks1',
                nickname: '阿依家的石榴园',
                fans: 34567,
                main_categories: [],
              },
            ],
            current_binding: {
              mcn: { id: 14, name: '成都某 MCN' },
              split_bps: 3000,
              valid_from: '2024-12-31T16:00:00Z',
              valid_to: null,
            },
          },
        ]),
      },
    });
    renderApp('/parties/anchors');
    const table = await screen.findByTestId('anchors-table');
    expect(await within(table).findByText('阿依')).toBeInTheDocument();
    expect(within(table).getByText('1,234,567')).toBeInTheDocument();
    expect(within(table).getByText(/抖音 · 大凉山阿依 · 1,200,000/)).toBeInTheDocument();
    expect(within(table).getByText(/30\.00%/)).toHaveTextContent('2025-01-01');
  });
});
