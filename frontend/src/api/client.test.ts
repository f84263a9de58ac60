import { describe, expect, it } from 'vitest';
import { mockApi } from '@/test/mockApi';
import { api, ApiError, readCookie, unwrap } from './client';

describe('api client', () => {
  it('sends X-CSRFToken from the cookie on unsafe methods only', async () => {
    document.cookie = 'csrftoken=tok123; path=/';
    const { calls } = mockApi({
      'GET /api/auth/me/': { status: 403, body: { detail: 'no' } },
      'POST /api/auth/logout/': { status: 204 },
    });
    await api.GET('/api/auth/me/');
    await api.POST('/api/auth/logout/');
    expect(calls[0].headers.get('X-CSRFToken')).toBeNull();
    expect(calls[1].method).toBe('POST');
    expect(calls[1].headers.get('X-CSRFToken')).toBe('tok123');
  });

  it('fetches the CSRF cookie first when it is missing', async () => {
    const { calls } = mockApi({
      'GET /api/auth/csrf/': { status: 200, body: {}, setCookie: 'csrftoken=fresh; path=/' },
      'POST /api/auth/login/': { status: 400, body: { detail: 'bad' } },
    });
    const result = await api.POST('/api/auth/login/', { body: { username: 'a', password: 'b' } });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/auth/csrf/',
      'POST /api/auth/login/',
    ]);
    expect(calls[1].headers.get('X-CSRFToken')).toBe('fresh');
    expect(JSON.parse(calls[1].body ?? '')).toEqual({ username: 'a', password: 'b' });
    expect(() => unwrap(result)).toThrow(ApiError);
    try {
      unwrap(result);
    } catch (e) {
      expect((e as ApiError).status).toBe(400);
      expect((e as ApiError).detail).toBe('bad');
    }
  });

  it('sends the UI language to the backend', async () => {
    const { calls } = mockApi({ 'GET /api/home/': { body: {} } });
    await api.GET('/api/home/');
    expect(calls[0].headers.get('Accept-Language')).toBe('zh-hans');
  });

  it('reads cookies by exact name', () => {
    document.cookie = 'xcsrftoken=wrong; path=/';
    document.cookie = 'csrftoken=right; path=/';
    expect(readCookie('csrftoken')).toBe('right');
  });
});
