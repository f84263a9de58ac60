// Selection workbench end to end: anchor_xiaoman adds a product to the pick list from the product
// drawer (seeing the rate for them and why), requests a sample of a pick — seeing the rule and the
// requests left this month before the form, the platform they have no account on closed with the
// reason, the address started from their last sample — on Douyin, and brand_jiu, who owns that
// product, approves it in the sample queue; the anchor then sees it approved with content due.
// Then brand_jiu sets a product's sample rule and the anchor changes a scheduled session's live price.
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

    // 2. Request a sample of XFJ-52-500. Before the form: the row says the product takes samples,
    // the rule and how many requests are left this month — as the API's eligibility says.
    const row = page.locator(`[data-testid="pick-row-${SAMPLE_SKU}"]`);
    await row.waitFor();
    const jiuPick = (await apiGet(page, '/api/selection/picks/?page_size=500')).results.find(
      (p) => p.sku_code === SAMPLE_SKU && p.state === 'active',
    );
    const eligibility = jiuPick.sample;
    assert.ok(eligibility.takes_samples && eligibility.eligible, 'xiaoman may ask for XFJ-52-500');
    assert.ok(eligibility.left >= 1, 'a request is left this month');
    assert.ok(eligibility.ship_to, 'an earlier sample gave an address to start from');
    const info = await textOf(page, `pick-sample-info-${SAMPLE_SKU}`);
    assert.ok(
      info.includes(`本月还可申请 ${eligibility.left} 次`),
      `the row shows the cap left: ${info}`,
    );
    const fans = eligibility.rule.min_fans.toLocaleString('zh-CN');
    assert.ok(info.includes(`粉丝 ≥ ${fans}`), `the row shows the rule: ${info}`);
    assert.ok(info.includes(`每月 ${eligibility.rule.monthly_cap_per_anchor} 次`), info);
    await row.locator(`[data-testid="pick-sample-${SAMPLE_SKU}"]`).click();
    // The modal's root is a zero-size wrapper: wait for its form instead.
    const modal = page.locator('.ant-modal', {
      has: page.locator('[data-testid="sample-ship-to"]'),
    });
    await modal.waitFor();
    const left = await modal.locator('[data-testid="sample-left"]').innerText();
    assert.equal(left.trim(), `本月还可申请 ${eligibility.left} 次`);
    const ruleText = await modal.locator('[data-testid="sample-rule"]').innerText();
    assert.ok(
      ruleText.includes('运费 ¥18.00 计入样品成本'),
      `the form opens on the rule: ${ruleText}`,
    );
    // No Taobao account: the platform is closed and says why; Douyin is where the form starts.
    assert.ok(
      await modal.locator('[data-testid="sample-platform"] input[value="taobao"]').isDisabled(),
      'Taobao cannot be chosen',
    );
    const closed = await modal.locator('[data-testid="sample-platform-closed"]').innerText();
    assert.ok(
      closed.includes('淘宝：没有 taobao 平台账号'),
      `the closed platform says why: ${closed}`,
    );
    assert.ok(
      await modal.locator('[data-testid="sample-platform"] input[value="douyin"]').isChecked(),
    );
    // The address is the last sample's, still editable.
    assert.equal(
      await modal.locator('[data-testid="sample-ship-to"]').inputValue(),
      eligibility.ship_to,
    );
    await screenshot(page, 'selection-flow-sample-form');
    await modal.locator('[data-testid="sample-ship-to"]').fill(SHIP_TO);
    await page.click('[data-testid="sample-submit"]');
    await modal.waitFor({ state: 'detached' });
    // The month's place is taken: the row says so and the button is closed with the reason.
    if (eligibility.left === 1) {
      await page.waitForFunction(
        (sku) =>
          document
            .querySelector(`[data-testid="pick-sample-info-${sku}"]`)
            ?.textContent?.includes('本月还可申请 0 次'),
        SAMPLE_SKU,
      );
      assert.ok(await row.locator(`[data-testid="pick-sample-${SAMPLE_SKU}"]`).isDisabled());
      const capped = await textOf(page, `pick-sample-info-${SAMPLE_SKU}`);
      assert.ok(capped.includes('达到上限'), `the row names the cap: ${capped}`);
    }
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

/** "YYYY-MM-DD HH:mm" in Asia/Shanghai, `days` from today. */
function shanghai(days, hour) {
  const now = new Date(Date.now() + 8 * 3600_000 + days * 86400_000);
  const day = now.toISOString().slice(0, 10);
  return `${day} ${String(hour).padStart(2, '0')}:00`;
}

/** Type both ends of an antd RangePicker (with time) and confirm each. */
async function fillRange(page, fieldId, start, end) {
  const inputs = page
    .locator('.ant-picker-range', { has: page.locator(`#${fieldId}`) })
    .locator('input');
  await inputs.nth(0).click();
  await inputs.nth(0).fill(start);
  await inputs.nth(0).press('Enter');
  await inputs.nth(1).fill(end);
  // Confirm with the picker's OK button: Enter in the last field would also submit the form,
  // racing the test's own click on the submit button.
  await page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').click();
  await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
}

test('brand changes a rate (a cut waits for tomorrow) and reads ROI; anchor schedules around a conflict', async () => {
  const b = brand.page;
  await withFailureScreenshot(b, 'selection-desk-brand', async () => {
    await b.goto(`${BASE_URL}/selection/brand/plans`);
    await b.waitForSelector('[data-testid="plans-table"]');
    const plans = await apiGet(b, '/api/selection/plans/?plan_type=exclusive');
    const plan = plans.results[0];
    assert.ok(plan?.current, 'the demo exclusive plan has a rate in force');
    await b.waitForSelector(`[data-testid="plan-rate-${plan.id}"]`);
    await b.click(`[data-testid="plan-change-${plan.id}"]`);
    const input = b.locator('[data-testid="rate-input"]');
    await input.waitFor();
    const lower = plan.current.rate_bps - 200;
    await input.fill(String(lower / 100));
    await b.waitForSelector('[data-testid="rate-effect"]');
    assert.ok((await textOf(b, 'rate-effect')).includes('次日 00:00'), 'a cut waits for tomorrow');
    await screenshot(b, 'selection-desk-rate-cut');
    await b.locator('.ant-modal .ant-btn-primary').click();
    await input.waitFor({ state: 'detached' });
    const after = (await apiGet(b, `/api/selection/plans/${plan.id}/`)).versions.at(-1);
    assert.equal(after.rate_bps, lower);
    assert.ok(new Date(after.effective_from) > new Date(), 'the cut is scheduled, not in force');
    await b.waitForSelector(`[data-testid="plan-scheduled-${plan.id}"]`);
    const scheduled = await textOf(b, `plan-scheduled-${plan.id}`);
    const lowerText = `${Math.trunc(lower / 100)}.${String(lower % 100).padStart(2, '0')}%`;
    assert.ok(scheduled.includes(lowerText) && scheduled.includes('00:00'), scheduled);

    await b.getByRole('tab', { name: '寄样 ROI' }).click();
    await b.waitForSelector('[data-testid="roi-table"] .ant-table-row');
    await b.waitForSelector('[data-testid="roi-chart"] canvas');
    const roi = await apiGet(b, '/api/selection/samples/roi/');
    assert.ok(roi.length > 0, 'the demo brand has sample ROI rows');
    assert.ok((await textOf(b, 'roi-table')).includes(roi[0].product_name));
    await screenshot(b, 'selection-desk-roi');

    await b.getByRole('tab', { name: '直播排期' }).click();
    await b.waitForSelector('[data-testid="sessions-table"] .ant-table-row');
    await b.locator('[data-testid="sessions-view-switch"]').getByText('日历').click();
    await b.waitForSelector('[data-testid="sessions-calendar"]');
    await screenshot(b, 'selection-desk-calendar');
    assert.deepEqual(brand.errors, []);
  });

  const { page, errors } = anchor;
  await withFailureScreenshot(page, 'selection-desk-anchor', async () => {
    await page.goto(`${BASE_URL}/selection/anchor/sessions`);
    await page.waitForSelector('[data-testid="sessions-table"]');
    await page.click('[data-testid="session-new"]');
    await page.locator('[data-testid="session-title"]').fill('小满 测试专场');
    // Overlaps the demo session "小满川味专场" (day +2, 20:00–23:00).
    await fillRange(page, 'range', shanghai(2, 21), shanghai(2, 22));
    await page.locator('[data-testid="lineup-pick-0"]').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', {
        hasText: '52度浓香型白酒',
      })
      .first()
      .click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="lineup-price-0"] input')?.value !== '',
    );
    await page.click('[data-testid="session-submit"]');
    await page.waitForSelector('[data-testid="session-error"]');
    const conflict = await textOf(page, 'session-error');
    assert.ok(conflict.includes('排期冲突') && conflict.includes('开始时间：'), conflict);
    await screenshot(page, 'selection-desk-conflict');

    // 13 days on (2026-12-20 when run on 2026-12-07), 20:00–22:00 as typed: Beijing time whatever
    // the browser's zone (this spec runs under UTC and America/Los_Angeles), sent as 12:00–14:00Z.
    const start = shanghai(13, 20);
    const day = start.slice(0, 10);
    await fillRange(page, 'range', start, shanghai(13, 22));
    assert.equal(await textOf(page, 'session-zone'), '北京时间 (UTC+8)');
    await page.click('[data-testid="session-submit"]');
    await page.waitForSelector('[data-testid="session-title"]', { state: 'detached' });
    const created = (await apiGet(page, '/api/selection/sessions/?state=scheduled')).results.find(
      (s) => s.title === '小满 测试专场',
    );
    assert.ok(created, 'the session is scheduled');
    assert.equal(created.items.length, 1);
    assert.equal(new Date(created.starts_at).toISOString(), `${day}T12:00:00.000Z`);
    assert.equal(new Date(created.ends_at).toISOString(), `${day}T14:00:00.000Z`);
    await page.waitForSelector('[data-testid="sessions-table"] :text("小满 测试专场")');
    assert.equal(await textOf(page, `session-when-${created.id}`), `${day} 20:00 – 22:00`);
    assert.deepEqual(errors, []);
  });
});

/** An input by test id, whether antd put the id on the <input> or on its wrapper. */
function inputOf(page, testId) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

test('brand sets a sample rule on a product; anchor changes a session lineup price', async () => {
  const b = brand.page;
  await withFailureScreenshot(b, 'selection-rule-brand', async () => {
    await b.goto(`${BASE_URL}/selection/brand/sample-rules`);
    await b.waitForSelector('[data-testid="sample-rules-table"] .ant-table-row');
    const products = await apiGet(b, '/api/catalog/products/?status=approved&page_size=500');
    const rules = await apiGet(b, '/api/selection/sample-rules/?page_size=500');
    const ruled = new Set(rules.results.map((r) => r.product));
    // A product without a rule if there is one (setting a rule opens it to sample requests).
    const product = products.results.find((p) => !ruled.has(p.id)) ?? products.results[0];
    assert.ok(product, 'brand_jiu has a certified product');
    const row = b.locator(`[data-testid="rule-row-${product.id}"]`);
    await row.waitFor();
    await row.locator(`[data-testid="rule-edit-${product.id}"]`).click();
    await b.waitForSelector('[data-testid="rule-drawer"] [data-testid="rule-submit"]');
    await inputOf(b, 'rule-min-fans').fill('20000');
    await inputOf(b, 'rule-decision-days').fill('4');
    await inputOf(b, 'rule-monthly-cap').fill('2');
    await inputOf(b, 'rule-shipping').fill('9.5');
    await screenshot(b, 'selection-rule-drawer');
    await b.click('[data-testid="rule-submit"]');
    await b.waitForSelector('[data-testid="rule-submit"]', { state: 'detached' });
    const saved = await apiGet(b, `/api/selection/sample-rules/${product.id}/`);
    assert.equal(saved.is_active, true);
    assert.equal(saved.min_fans, 20000);
    assert.equal(saved.decision_days, 4);
    assert.equal(saved.monthly_cap_per_anchor, 2);
    assert.equal(saved.shipping_cost_minor, 950);
    await row.locator('[data-testid="rule-active"]').waitFor();
    await screenshot(b, 'selection-rules');
    assert.deepEqual(brand.errors, []);
  });

  const { page, errors } = anchor;
  await withFailureScreenshot(page, 'selection-session-edit', async () => {
    await page.goto(`${BASE_URL}/selection/anchor/sessions`);
    await page.waitForSelector('[data-testid="sessions-table"] .ant-table-row');
    const scheduled = await apiGet(page, '/api/selection/sessions/?state=scheduled&page_size=500');
    // One still to come (the demo also has past sessions left scheduled; those are not editable).
    const session = scheduled.results.find(
      (s) => s.items.length > 0 && new Date(s.starts_at) > new Date(),
    );
    assert.ok(session, 'an upcoming scheduled session with a lineup');
    const item = [...session.items].sort((x, y) => x.position - y.position)[0];
    const product = await apiGet(page, `/api/catalog/selection/${item.sku}/`);
    const sku = product.skus.find((s) => s.id === item.sku);
    // Another price inside the SKU's live range.
    const price =
      item.live_price.amount !== sku.min_live_price.amount
        ? sku.min_live_price.amount
        : sku.max_live_price.amount;
    assert.notEqual(price, item.live_price.amount, 'the SKU has a live price range');

    await page.click(`[data-testid="session-edit-${session.id}"]`);
    const priceInput = inputOf(page, 'lineup-price-0');
    await priceInput.waitFor();
    // Prefilled from the session.
    assert.equal(await inputOf(page, 'session-title').inputValue(), session.title);
    assert.equal(await priceInput.inputValue(), item.live_price.amount);
    // A price outside the SKU's live range: the whole error reads under the line at 1440 px.
    await page.setViewportSize({ width: 1440, height: 900 });
    const over = (Number(sku.max_live_price.amount) + 1).toFixed(2);
    await priceInput.fill(over);
    await page.click('[data-testid="session-submit"]');
    const rangeError = page.locator('[data-testid="lineup-price-error-0"]');
    await rangeError.waitFor();
    const rangeText = (await rangeError.innerText()).trim();
    const range = `\u00a5${sku.min_live_price.amount}–\u00a5${sku.max_live_price.amount}`;
    assert.ok(rangeText.includes(range), `the error names the range ${range}: ${rangeText}`);
    const fits = await rangeError.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    assert.ok(fits, 'the range error is not cut off');
    await screenshot(page, 'selection-session-price-error');
    await priceInput.fill(price);
    await screenshot(page, 'selection-session-edit');
    await page.click('[data-testid="session-submit"]');
    await page.waitForSelector('[data-testid="session-title"]', { state: 'detached' });
    const after = await apiGet(page, `/api/selection/sessions/${session.id}/`);
    const first = [...after.items].sort((x, y) => x.position - y.position)[0];
    assert.equal(first.sku, item.sku);
    assert.equal(first.live_price.amount, price, 'the new live price is saved');
    assert.equal(first.stock_quantity, item.stock_quantity, 'the reserved units are unchanged');
    assert.equal(after.title, session.title);
    assert.equal(after.starts_at, session.starts_at);
    assert.equal(after.state, 'scheduled');
    assert.deepEqual(errors, []);
  });
});
