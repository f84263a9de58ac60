// Selection workbench end to end: anchor_xiaoman adds a product to the pick list from the product
// drawer (seeing the rate for them and why), requests a sample of a pick — first on a platform they
// have no account on (the error names the field), then on Douyin — and brand_jiu, who owns that
// product, approves it in the sample queue; the anchor then sees it approved with content due.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiGet,
  BASE_URL,
  login,
  openBrowser,
  screenshot,
  textOf,
  withFailureScreenshot,
} from '../lib.mjs';

const SAMPLE_SKU = 'XFJ-52-500'; // 叙府窖, brand_jiu; on 蜀中小满's demo pick list, with a sample rule
const SHIP_TO = '成都市武侯区天府大道北段 1700 号 小满工作室';

// Two browsers: the anchor and the brand stay logged in side by side.
let anchor;
let brand;
before(async () => {
  anchor = await openBrowser();
  brand = await openBrowser();
});
after(async () => {
  await anchor?.browser.close();
  await brand?.browser.close();
});

test('anchor picks and requests a sample; the brand approves; the anchor sees it approved', async () => {
  const { page, errors } = anchor;
  await withFailureScreenshot(page, 'selection-flow', async () => {
    await login(page, 'anchor_xiaoman');
    await page.waitForSelector('[data-testid="home-mcn"]');

    // 1. Add a pick from the product drawer: a listed SKU with an open plan not yet picked.
    const picks = await apiGet(page, '/api/selection/picks/?page_size=500');
    const picked = new Set(picks.results.filter((p) => p.state !== 'removed').map((p) => p.sku));
    const search = await apiGet(page, '/api/catalog/selection/?page_size=100&plan_type=open');
    const candidate = search.results.find(
      (row) => !picked.has(row.id) && row.commission_bps > 0 && row.in_stock,
    );
    assert.ok(candidate, 'a listed SKU with an open plan that is not on the pick list');
    await page.goto(`${BASE_URL}/selection?sku=${candidate.id}`);
    await page.waitForSelector('[data-testid="pick-panel"]');
    await page.waitForSelector('[data-testid="quote-rate"]');
    const quote = (await apiGet(page, `/api/selection/picks/quote/?sku=${candidate.id}`))[0];
    assert.equal(quote.sku_id, candidate.id);
    const rateText = `${Math.trunc(quote.rate_bps / 100)}.${String(quote.rate_bps % 100).padStart(2, '0')}%`;
    assert.ok(
      (await textOf(page, 'quote-rate')).includes(rateText),
      `the drawer shows the quoted rate ${rateText}`,
    );
    await page.click('[data-testid="pick-add"]');
    await page.waitForSelector('[data-testid="pick-panel-in-picks"]');
    await screenshot(page, 'selection-flow-pick');

    // The pick list shows it with the rate frozen at the quote.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="product-detail"]', { state: 'detached' });
    await page.locator('.ant-menu').getByText('我的选品').click();
    await page.waitForSelector('[data-testid="picks-table"]');
    const added = (await apiGet(page, `/api/selection/picks/?sku=${candidate.id}`)).results.find(
      (p) => p.state === 'active',
    );
    assert.ok(added, 'the new pick is active');
    assert.equal(added.rate_bps, quote.rate_bps, 'the pick froze the quoted rate');
    await page.waitForSelector(`[data-testid="pick-rate-${added.id}"]`);
    assert.equal(await textOf(page, `pick-rate-${added.id}`), rateText);

    // 2. Request a sample of XFJ-52-500: Taobao first (no account there), then Douyin.
    const row = page.locator(`[data-testid="pick-row-${SAMPLE_SKU}"]`);
    await row.waitFor();
    await row.locator(`[data-testid="pick-sample-${SAMPLE_SKU}"]`).click();
    // The modal's root is a zero-size wrapper: wait for its form instead.
    const modal = page.locator('.ant-modal', {
      has: page.locator('[data-testid="sample-ship-to"]'),
    });
    await modal.waitFor();
    await modal.locator('[data-testid="sample-platform"]').getByText('淘宝').click();
    await modal.locator('[data-testid="sample-ship-to"]').fill(SHIP_TO);
    await page.click('[data-testid="sample-submit"]');
    await page.waitForSelector('[data-testid="sample-error"]');
    const error = await textOf(page, 'sample-error');
    assert.ok(error.includes('平台：'), `the error names the field: ${error}`);
    assert.ok(error.includes('taobao'), `the error says which platform: ${error}`);
    await screenshot(page, 'selection-flow-sample-error');

    await modal.locator('[data-testid="sample-platform"]').getByText('抖音').click();
    await page.click('[data-testid="sample-submit"]');
    await modal.waitFor({ state: 'detached' });
    const pending = (await apiGet(page, '/api/selection/samples/?state=pending')).results.find(
      (s) => s.sku_code === SAMPLE_SKU && s.ship_to === SHIP_TO,
    );
    assert.ok(pending, 'the request is pending');

    await page.getByRole('tab', { name: '我的寄样' }).click();
    const mine = page.locator(`[data-testid="my-sample-${pending.id}"]`);
    await mine.waitFor();
    assert.ok((await mine.innerText()).includes('待审核'));
    assert.ok((await mine.innerText()).includes('审核截止'));

    // 3. The brand approves it in the sample queue.
    const b = brand.page;
    await withFailureScreenshot(b, 'selection-flow-brand', async () => {
      await login(b, 'brand_jiu');
      await b.waitForSelector('[data-testid="home-brand"]');
      await b.locator('.ant-menu').getByText('选品工作台').click();
      await b.waitForSelector('[data-testid="plans-table"]');
      await b.getByRole('tab', { name: '寄样审核' }).click();
      const queued = b.locator(`[data-testid="sample-row-${pending.id}"]`);
      await queued.waitFor();
      assert.ok((await queued.innerText()).includes('蜀中小满'));
      await screenshot(b, 'selection-flow-queue');
      await queued.locator(`[data-testid="sample-approve-${pending.id}"]`).click();
      await b.locator('.ant-popconfirm .ant-btn-primary').click();
      await queued.waitFor({ state: 'detached' }); // it leaves the pending queue
      await b.locator('[data-testid="sample-state-filter"]').getByText('已通过').click();
      const approvedRow = b.locator(`[data-testid="sample-row-${pending.id}"]`);
      await approvedRow.waitFor();
      await approvedRow.locator('[data-testid="state-approved"]').waitFor();
      assert.ok((await approvedRow.innerText()).includes('¥'), 'the frozen sample cost is shown');
      assert.deepEqual(brand.errors, []);
    });

    // 4. The anchor sees it approved, with the content deadline.
    await page.reload();
    const approved = page.locator(`[data-testid="my-sample-${pending.id}"]`);
    await approved.waitFor();
    await approved.locator('[data-testid="state-approved"]').waitFor();
    assert.ok((await approved.innerText()).includes('内容截止'));
    const detail = await apiGet(page, `/api/selection/samples/${pending.id}/`);
    assert.equal(detail.state, 'approved');
    await screenshot(page, 'selection-flow-approved');
    assert.deepEqual(errors, []);
  });
});
