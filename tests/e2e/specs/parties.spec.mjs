import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiGet,
  assertForbidden,
  BASE_URL,
  login,
  openBrowser,
  screenshot,
  withFailureScreenshot,
} from '../lib.mjs';

let session;
before(async () => {
  session = await openBrowser();
});
after(async () => {
  await session?.browser.close();
});

async function tableRows(page, testId) {
  await page.waitForSelector(`[data-testid="${testId}"] tbody tr.ant-table-row`);
  return page.locator(`[data-testid="${testId}"] tbody tr.ant-table-row`).count();
}

test('op_admin sees every organization and the anchors; mcn_owner sees its anchors only', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'parties', async () => {
    await login(page, 'op_admin');
    await page.waitForSelector('[data-testid="home-operator"]');

    await page.goto(`${BASE_URL}/parties/organizations`);
    const orgs = await apiGet(page, '/api/parties/organizations/?page=1&page_size=20');
    assert.ok(orgs.count > 1, 'the operator sees more than its own organization');
    assert.equal(await tableRows(page, 'organizations-table'), Math.min(orgs.count, 20));
    await page.getByRole('tab', { name: '邀请' }).waitFor();
    await screenshot(page, 'operator-organizations');

    await page.goto(`${BASE_URL}/parties/anchors`);
    const anchors = await apiGet(page, '/api/parties/anchors/?page=1&page_size=20');
    assert.equal(await tableRows(page, 'anchors-table'), Math.min(anchors.count, 20));
    await screenshot(page, 'operator-anchors');

    await context.clearCookies();
    await login(page, 'mcn_owner');
    await page.waitForSelector('[data-testid="home-mcn"]');
    await page.goto(`${BASE_URL}/parties/anchors`);
    const own = await apiGet(page, '/api/parties/anchors/?page=1&page_size=20');
    assert.ok(own.count <= anchors.count);
    if (own.count > 0)
      assert.equal(await tableRows(page, 'anchors-table'), Math.min(own.count, 20));
    await screenshot(page, 'mcn-anchors');
    await assertForbidden(page, '/parties/organizations', 'operator');
    assert.deepEqual(errors, []);
  });
});
