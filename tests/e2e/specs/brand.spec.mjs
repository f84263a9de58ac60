import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertForbidden,
  assertHomeShowsApiData,
  BASE_URL,
  login,
  openBrowser,
  screenshot,
  textOf,
  withFailureScreenshot,
} from '../lib.mjs';

let session;
before(async () => {
  session = await openBrowser();
});
after(async () => {
  await session?.browser.close();
});

test('brand_jiu lands on the brand home with API data, and /finance is forbidden', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'brand', async () => {
    await login(page, 'brand_jiu');
    await page.waitForSelector('[data-testid="home-brand"]');
    assert.equal(new URL(page.url()).pathname, '/brand');
    assert.ok((await textOf(page, 'page-title')).includes('品牌商工作台'));
    await assertHomeShowsApiData(page, 'brand');
    await screenshot(page, 'brand-home');

    await assertForbidden(page, '/finance', 'finance');
    await screenshot(page, 'brand-forbidden-finance');

    // The operator-only lists are closed to a brand as well.
    await page.goto(`${BASE_URL}/parties/organizations`);
    await page.waitForSelector('[data-testid="forbidden"]');
    assert.deepEqual(errors, []);
  });
});
