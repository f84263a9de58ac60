import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n, { LANGUAGE_STORAGE_KEY, setLanguage } from '@/i18n';
import { BRAND_HOME, BRAND_ME, FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

beforeEach(async () => {
  await setLanguage('zh');
  localStorage.clear();
});

describe('routing and access', () => {
  it('sends anonymous users to /login', async () => {
    mockApi({ 'GET /api/auth/me/': { status: 403, body: { detail: '未登录' } } });
    const { router } = renderApp('/brand');
    expect(await screen.findByTestId('login-page')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });

  it('redirects / to the home of the user and renders API data', async () => {
    mockApi({ 'GET /api/auth/me/': { body: BRAND_ME }, 'GET /api/home/': { body: BRAND_HOME } });
    const { router } = renderApp('/');
    const page = await screen.findByTestId('home-brand');
    expect(router.state.location.pathname).toBe('/brand');
    expect(page).toHaveTextContent('品牌商工作台');
    expect(await screen.findByTestId('home-organization')).toHaveTextContent('宜宾某酒业');
    expect(screen.getByTestId('card-fans')).toHaveTextContent('1,234,567');
    expect(screen.getByTestId('card-gmv')).toHaveTextContent('¥1,234.50');
    expect(screen.getByTestId('recent-activity')).toHaveTextContent('2024-05-01 10:30');
  });

  it("shows 403 for another role's page and never asks for its data", async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/home/': { body: BRAND_HOME },
    });
    renderApp('/finance');
    expect(await screen.findByTestId('forbidden')).toHaveTextContent('无权访问此页面');
    expect(screen.queryByTestId('home-finance')).not.toBeInTheDocument();
    expect(calls.some((c) => c.path.startsWith('/api/home/'))).toBe(false);
  });

  it('forbids the operator-only lists to a brand user', async () => {
    const { calls } = mockApi({ 'GET /api/auth/me/': { body: BRAND_ME } });
    renderApp('/parties/organizations');
    expect(await screen.findByTestId('forbidden')).toBeInTheDocument();
    expect(calls.some((c) => c.path.startsWith('/api/parties/'))).toBe(false);
  });

  it('forbids /brand to finance', async () => {
    mockApi({ 'GET /api/auth/me/': { body: FINANCE_ME } });
    renderApp('/brand');
    expect(await screen.findByTestId('forbidden')).toBeInTheDocument();
  });
});

describe('login', () => {
  it('logs in and lands on the home', async () => {
    let loggedIn = false;
    const { calls } = mockApi({
      'GET /api/auth/csrf/': { setCookie: 'csrftoken=abc; path=/', body: {} },
      'GET /api/auth/me/': () =>
        loggedIn ? { body: FINANCE_ME } : { status: 403, body: { detail: 'no' } },
      'POST /api/auth/login/': () => {
        loggedIn = true;
        return { body: FINANCE_ME };
      },
      'GET /api/home/': {
        body: { ...BRAND_HOME, home: 'finance', organization: FINANCE_ME.organization },
      },
    });
    const { router } = renderApp('/login');
    fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: 'op_finance' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'shuxuan-demo' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByTestId('home-finance')).toHaveTextContent('财务工作台');
    expect(router.state.location.pathname).toBe('/finance');
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.headers.get('X-CSRFToken')).toBe('abc');
  });

  it('shows the backend refusal', async () => {
    mockApi({
      'GET /api/auth/csrf/': { setCookie: 'csrftoken=abc; path=/', body: {} },
      'GET /api/auth/me/': { status: 403, body: { detail: 'no' } },
      'POST /api/auth/login/': { status: 400, body: { detail: 'Invalid credentials' } },
    });
    renderApp('/login');
    fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: 'x' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'y' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByTestId('login-error')).toHaveTextContent('用户名或密码错误');
  });

  it('says so when throttled', async () => {
    mockApi({
      'GET /api/auth/csrf/': { setCookie: 'csrftoken=abc; path=/', body: {} },
      'GET /api/auth/me/': { status: 403, body: { detail: 'no' } },
      'POST /api/auth/login/': { status: 429, body: { detail: 'slow down' } },
    });
    renderApp('/login');
    fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: 'x' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'y' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByTestId('login-error')).toHaveTextContent('尝试次数过多');
  });
});

describe('language', () => {
  it('switches to English and remembers it', async () => {
    mockApi({ 'GET /api/auth/me/': { body: BRAND_ME }, 'GET /api/home/': { body: BRAND_HOME } });
    renderApp('/brand');
    expect(await screen.findByTestId('page-title')).toHaveTextContent('品牌商工作台');
    fireEvent.click(screen.getByText('English'));
    await waitFor(() =>
      expect(screen.getByTestId('page-title')).toHaveTextContent('Brand workspace'),
    );
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(i18n.language).toBe('en');
    expect(await screen.findByTestId('card-members')).toHaveTextContent('Members');
    expect(document.documentElement.lang).toBe('en');
  });
});

describe('session end', () => {
  it('goes back to /login when a data request finds the session gone', async () => {
    let loggedIn = true;
    mockApi({
      'GET /api/auth/me/': () =>
        loggedIn ? { body: BRAND_ME } : { status: 403, body: { detail: 'no' } },
      'GET /api/home/': () => {
        loggedIn = false;
        return { status: 403, body: { detail: '身份认证信息未提供。' } };
      },
    });
    const { router } = renderApp('/brand');
    expect(await screen.findByTestId('login-page')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });
});
