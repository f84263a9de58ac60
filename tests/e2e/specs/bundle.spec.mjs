// First load: how much compressed JavaScript each route downloads on a cold visit, and the budget.
// The figures are printed so a regression shows by how much, not only that it happened.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE_URL, login, openBrowser, withFailureScreenshot } from '../lib.mjs';

const KB = 1024;
const LOGIN_BUDGET = 300 * KB;
const ROUTE_BUDGET = 600 * KB;
const UNCOMPRESSED_UP_TO = 1100;
const ROUTES = {
  op_finance: [
    '/finance',
    '/ledger',
    '/settlement',
    '/reconciliation',
    '/supply',
    '/parties/organizations',
  ],
  brand_jiu: ['/brand', '/catalog', '/selection/brand', '/earnings'],
  mcn_owner: ['/mcn', '/selection/anchor', '/parties/anchors'],
  op_admin: ['/operator', '/selection'],
};

let session;
before(async () => {
  session = await openBrowser();
});
after(async () => {
  await session?.browser.close();
});

/** Counts the bytes on the wire (compressed, headers excluded) of every script the page loads. */
async function scriptMeter(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const scripts = new Map();
  const meter = { bytes: 0, encodings: new Set(), files: 0 };
  cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
    if (type !== 'Script') return;
    const encoding = Object.entries(response.headers).find(
      ([name]) => name.toLowerCase() === 'content-encoding',
    );
    scripts.set(requestId, {
      headerBytes: response.encodedDataLength ?? 0,
      encoding: encoding ? encoding[1] : 'identity',
    });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    if (!scripts.has(requestId)) return;
    const { headerBytes, encoding } = scripts.get(requestId);
    // encodedDataLength counts the headers too; subtract what the response event already counted.
    const bytes = encodedDataLength - headerBytes;
    meter.bytes += bytes;
    meter.files += 1;
    // The build leaves files under 1 KB uncompressed (frontend/vite-compress.ts).
    if (bytes > UNCOMPRESSED_UP_TO) meter.encodings.add(encoding);
  });
  meter.reset = () => {
    meter.bytes = 0;
    meter.files = 0;
    meter.encodings.clear();
  };
  return meter;
}

async function settle(page) {
  await page.waitForLoadState('networkidle');
}

function report(route, meter) {
  const kb = (meter.bytes / KB).toFixed(1);
  console.log(
    `[bundle] ${route.padEnd(24)} ${kb.padStart(7)} KB in ${meter.files} scripts (${[...meter.encodings].join(', ')})`,
  );
}

test('the login route loads at most 300 KB of compressed JavaScript, served as brotli', async () => {
  const context = await session.browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const meter = await scriptMeter(context, page);
  await withFailureScreenshot(page, 'bundle-login', async () => {
    await page.goto(`${BASE_URL}/login`);
    await page.waitForSelector('[data-testid="login-page"]');
    await settle(page);
    report('/login', meter);
    assert.ok(meter.files > 0, 'scripts were measured');
    assert.deepEqual([...meter.encodings], ['br'], 'every script arrives brotli-compressed');
    assert.ok(meter.bytes <= LOGIN_BUDGET, `/login loads ${meter.bytes} B > ${LOGIN_BUDGET} B`);
  });
  await context.close();
});

for (const [username, routes] of Object.entries(ROUTES)) {
  test(`each of ${username}'s routes loads at most 600 KB of compressed JavaScript`, async () => {
    const context = await session.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const meter = await scriptMeter(context, page);
    await withFailureScreenshot(page, `bundle-${username}`, async () => {
      await login(page, username);
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      const over = [];
      for (const route of routes) {
        meter.reset();
        await page.goto(`${BASE_URL}${route}`);
        await page.waitForSelector('[data-testid="header-user"]');
        await settle(page);
        report(route, meter);
        assert.ok(meter.files > 0, `scripts were measured on ${route}`);
        if (meter.bytes > ROUTE_BUDGET) over.push(`${route}: ${meter.bytes} B`);
      }
      assert.deepEqual(over, [], `routes over ${ROUTE_BUDGET} B`);
    });
    await context.close();
  });
}
