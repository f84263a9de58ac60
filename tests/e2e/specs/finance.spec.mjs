import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertForbidden,
  assertHomeShowsApiData,
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

test('op_finance lands on the finance home, and /brand is forbidden', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'finance', async () => {
    await login(page, 'op_finance');
    await page.waitForSelector('[data-testid="home-finance"]');
    assert.equal(new URL(page.url()).pathname, '/finance');
    assert.ok((await textOf(page, 'page-title')).includes('财务工作台'));
    await assertHomeShowsApiData(page, 'finance');
    await screenshot(page, 'finance-home');

    await assertForbidden(page, '/brand', 'brand');
    await screenshot(page, 'finance-forbidden-brand');
    assert.deepEqual(errors, []);
  });
});
