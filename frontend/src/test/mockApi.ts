import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  headers: Headers;
  body: string | null;
}

type Reply = { status?: number; body?: unknown; setCookie?: string };
type Handler = (call: Call) => Reply | Promise<Reply>;

/** Stub `fetch` with a route table: "GET /api/auth/me/" → reply. Unknown routes answer 404. */
export function mockApi(routes: Record<string, Handler | Reply>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request =
      input instanceof Request
        ? input
        : new Request(new URL(String(input), window.location.origin), init);
    const url = new URL(request.url);
    const body = request.method === 'GET' ? null : await request.text();
    const call: Call = {
      method: request.method,
      path: url.pathname + url.search,
      headers: request.headers,
      body,
    };
    calls.push(call);
    const route = routes[`${request.method} ${url.pathname}`];
    const reply: Reply =
      typeof route === 'function'
        ? await route(call)
        : (route ?? { status: 404, body: { detail: 'not found' } });
    if (reply.setCookie) document.cookie = reply.setCookie;
    const status = reply.status ?? 200;
    return new Response(
      status === 204 || reply.body === undefined ? null : JSON.stringify(reply.body),
      {
        status,
        headers: { 'Content-Type': 'application/json' },
      },
    );
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

export const BRAND_ME = {
  id: 1,
  username: 'brand_jiu',
  display_name: '酒业小王',
  organization: { id: 10, name: '宜宾某酒业', kind: 'brand' },
  roles: ['owner'],
  home: 'brand',
  language: 'zh-hans',
};

export const FINANCE_ME = {
  id: 2,
  username: 'op_finance',
  display_name: '财务小李',
  organization: { id: 1, name: '蜀选运营', kind: 'operator' },
  roles: ['finance'],
  home: 'finance',
  language: 'zh-hans',
};

const card = (key: string, group: string, zh: string, en: string, rest: object) => ({
  key,
  group,
  label_zh: zh,
  label_en: en,
  count: null,
  amount: null,
  text: null,
  link: null,
  ...rest,
});

export const BRAND_HOME = {
  home: 'brand',
  organization: { id: 10, name: '宜宾某酒业', kind: 'brand' },
  cards: [
    card('members', 'organization', '成员', 'Members', { count: 3 }),
    card('fans', 'organization', '粉丝', 'Fans', { count: 1234567 }),
    card('gmv', 'sales', '成交额', 'GMV', { amount: { amount: '1234.5', currency: 'CNY' } }),
  ],
  charts: [],
  sessions: [],
  close: null,
  recent_activity: [
    { at: '2024-05-01T02:30:00Z', actor: 'brand_jiu', action: 'login', object_repr: '宜宾某酒业' },
  ],
};

/** The query strings of the GET calls made to `path`, in order. */
export function queriesOf(calls: Call[], path: string): URLSearchParams[] {
  return calls
    .filter((c) => c.method === 'GET' && c.path.split('?')[0] === path)
    .map((c) => new URL(c.path, 'http://x').searchParams);
}
