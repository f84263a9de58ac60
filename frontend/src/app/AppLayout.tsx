import {
  AccountBookOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  DashboardOutlined,
  InboxOutlined,
  LogoutOutlined,
  MoneyCollectOutlined,
  ReconciliationOutlined,
  ShopOutlined,
  SolutionOutlined,
  TeamOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Space, Tag, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { logout } from '@/api/session';
import { enumLabel } from '@/i18n/labels';
import { LanguageSwitch } from '@/i18n/LanguageSwitch';
import { navFor, type NavKey } from './access';
import { useCurrentUser } from './currentUser';

const ICONS: Record<NavKey, ReactNode> = {
  home: <DashboardOutlined />,
  organizations: <ApartmentOutlined />,
  anchors: <TeamOutlined />,
  supply: <InboxOutlined />,
  ledger: <AccountBookOutlined />,
  catalog: <ShopOutlined />,
  selection: <AppstoreOutlined />,
  selectionBrand: <SolutionOutlined />,
  selectionAnchor: <VideoCameraOutlined />,
  settlement: <AuditOutlined />,
  reconciliation: <ReconciliationOutlined />,
  earnings: <MoneyCollectOutlined />,
};

export function AppLayout() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { token } = theme.useToken();
  const items = navFor(me.home, me.roles);
  // The longest matching path: /selection/brand/plans selects its own entry, not /selection.
  const selected = items
    .filter((item) => location.pathname.startsWith(item.path))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;

  const onLogout = async () => {
    await logout(queryClient);
    navigate('/login', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={208}>
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 18 }}>
          <Link to="/" style={{ color: token.colorPrimary }}>
            {t('app.name')}
          </Link>
        </div>
        <Menu
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={items.map((item) => ({
            key: item.path,
            icon: ICONS[item.key],
            label: <Link to={item.path}>{t(`nav.${item.key}`)}</Link>,
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            paddingInline: 24,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Space>
            <Typography.Text strong data-testid="header-organization">
              {me.organization?.name ?? ''}
            </Typography.Text>
            {me.organization && <Tag>{enumLabel(t, 'orgKind', me.organization.kind)}</Tag>}
          </Space>
          <Space size="middle">
            <LanguageSwitch />
            <Typography.Text data-testid="header-user">
              {me.display_name || me.username}
            </Typography.Text>
            <Button icon={<LogoutOutlined />} onClick={() => void onLogout()} data-testid="logout">
              {t('app.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
