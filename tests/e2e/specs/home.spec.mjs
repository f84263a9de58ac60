// Each role's home ties to the pages it links to: log in as the brand, an anchor, finance and
// supply; read a figure on the home, follow its card's link by clicking, and check that the page
// it lands on shows the same count (the list's total) or the same amount (to the fen). The links
// carry their filters (?status=, ?state=, ?due_by=, ?expiring_before=), so the list is the one the
// card counted. Time-sensitive: the supply figures are dated from Beijing's today and the anchor's
// home lists the sessions of the next seven days, so run.mjs runs it under both zones.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiGet,
  BASE_URL,
  formatCount,
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

/** "¥36,080.00" / "-¥1.50" → fen as a bigint (no floats). */
function fen(text) {
  const match = /(-?)[^\d-]*([\d,]+)\.(\d{2})/.exec(text);
  assert.ok(match, `not an amount: ${text}`);
  const value = BigInt(match[2].replace(/,/g, '') + match[3]);
  return match[1] === '-' ? -value : value;
}

/** The API's decimal string ("147315.5", "-1.50") → fen as a bigint. */
function apiFen(amount) {
  const [whole, part = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((part + '00').slice(0, 2));
  return amount.startsWith('-') ? -value : value;
}

/** "1,234" → 1234. */
function count(text) {
  const match = /[\d,]+/.exec(text);
  assert.ok(match, `not a count: ${text}`);
  return Number(match[0].replace(/,/g, ''));
}

async function loginAs(username, home) {
  const { page, context } = session;
  await context.clearCookies();
  await login(page, username);
  await page.waitForSelector(`[data-testid="home-${home}"]`);
  await page.waitForSelector('[data-testid="home-cards"]');
  return apiGet(page, '/api/home/');
}

/** The card's figure as the home shows it, checked against the API's. */
async function homeFigure(home, key) {
  const { page } = session;
  const card = home.cards.find((c) => c.key === key);
  assert.ok(card, `the home has a ${key} card`);
  const text = await textOf(page, `card-value-${key}`);
  if (card.amount) {
    assert.equal(fen(text), apiFen(card.amount.amount), `card ${key} shows ${card.amount.amount}`);
    return { card, fen: fen(text) };
  }
  assert.equal(text, formatCount(card.count), `card ${key} shows ${card.count}`);
  return { card, count: card.count };
}

/** Click the card's link and wait until the page it names is there, with the link's query. */
async function follow(key, pageTestId) {
  const { page } = session;
  const link = page.locator(`[data-testid="card-link-${key}"]`);
  const href = await link.getAttribute('href');
  await link.click();
  await page.waitForURL((url) => url.pathname + url.search === href);
  await page.waitForSelector(`[data-testid="${pageTestId}"]`);
  return href;
}

/** The list's total as its pagination says it ("共 N 条"), once the list shows `expected`
 * (it may first show the previous filter's page); the caller compares what it returns. */
async function listTotal(tableTestId, expected) {
  const { page } = session;
  // The test id is on the table's wrapper or inside it, depending on the antd version.
  const selector =
    `:is(.ant-table-wrapper[data-testid="${tableTestId}"], ` +
    `.ant-table-wrapper:has([data-testid="${tableTestId}"])) .ant-pagination-total-text`;
  await page
    .waitForFunction(
      ([css, want]) => document.querySelector(css)?.textContent.replace(/\D/g, '') === String(want),
      [selector, expected],
      { timeout: 15_000 },
    )
    .catch(() => {});
  return count(await page.locator(selector).first().innerText());
}

async function backHome(home) {
  const { page } = session;
  await page.goBack();
  await page.waitForSelector(`[data-testid="home-${home}"] [data-testid="home-cards"]`);
}

test('brand_jiu: products in review on the home are the products listed as in review', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'home-brand', async () => {
    const home = await loginAs('brand_jiu', 'brand');
    for (const key of ['products_submitted', 'pending_applications']) {
      const { count: n } = await homeFigure(home, key);
      assert.ok(n > 0, `the demo world gives the brand a non-zero ${key}`);
    }
    const { count: submitted } = await homeFigure(home, 'products_submitted');
    const href = await follow('products_submitted', 'products-page');
    assert.equal(href, '/catalog/products?status=submitted');
    assert.equal(await listTotal('products-table', submitted), submitted);
    const rows = page.locator('[data-testid="products-table"] tbody tr.ant-table-row');
    assert.equal(await rows.count(), submitted);
    await screenshot(page, 'home-brand-products');

    await backHome('brand');
    const { count: pending } = await homeFigure(home, 'pending_applications');
    await follow('pending_applications', 'applications-tab');
    const applications = page.locator('[data-testid="applications-table"] tbody tr.ant-table-row');
    await applications.first().waitFor();
    assert.equal(await applications.count(), pending);
    assert.deepEqual(errors, []);
  });
});

test('anchor_xiaoman: earnings on the home equal the earnings page to the fen', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'home-anchor', async () => {
    const home = await loginAs('anchor_xiaoman', 'mcn');
    const estimated = await homeFigure(home, 'earnings_estimated');
    const settled = await homeFigure(home, 'earnings_settled');
    const atSource = await homeFigure(home, 'earnings_at_source');
    assert.ok(
      estimated.fen + settled.fen + atSource.fen > 0n,
      'the anchor has earnings to compare',
    );
    // The next seven days' sessions, in Beijing time whatever the browser's zone.
    const rows = page.locator('[data-testid="home-sessions"] tbody tr.ant-table-row');
    assert.equal(await rows.count(), home.sessions.length);
    assert.ok(home.sessions.length > 0, 'the demo world schedules sessions this week');
    const first = await rows.first().innerText();
    const startsAt = new Date(home.sessions[0].starts_at);
    const beijing = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(startsAt)
      .replace(',', '');
    assert.ok(
      first.includes(beijing),
      `the first session starts ${beijing} Beijing time: "${first}"`,
    );

    await follow('earnings_estimated', 'earnings-page');
    await page.waitForSelector('[data-testid="earnings-estimated"]');
    assert.equal(fen(await textOf(page, 'earnings-estimated')), estimated.fen);
    assert.equal(fen(await textOf(page, 'earnings-settled')), settled.fen);
    assert.equal(fen(await textOf(page, 'earnings-at-source')), atSource.fen);
    await screenshot(page, 'home-anchor-earnings');
    assert.deepEqual(errors, []);
  });
});

test('op_finance: statements awaiting approval and the close checklist tie to their pages', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'home-finance', async () => {
    const home = await loginAs('op_finance', 'finance');
    const { count: drafts } = await homeFigure(home, 'statements_awaiting_approval');
    const { fen: payable } = await homeFigure(home, 'statements_awaiting_approval_amount');
    assert.ok(drafts > 0 && drafts <= 20, `the drafts fit on one page of the list (${drafts})`);
    const checks = {};
    for (const item of home.close.items) {
      checks[item.key] = await page
        .locator(`[data-testid="home-check-${item.key}"]`)
        .getAttribute('data-ok');
      assert.equal(checks[item.key], item.ok);
    }

    const href = await follow('statements_awaiting_approval', 'statements-page');
    assert.equal(href, '/settlement/statements?state=draft');
    assert.equal(await listTotal('statements-table', drafts), drafts);
    // The page's totals row: the sum of the closing balances of every draft (all on this page).
    const closing = page.locator('[data-testid="statements-totals-CNY"] td').nth(5);
    assert.equal(fen(await closing.innerText()), payable);
    await screenshot(page, 'home-finance-statements');

    await backHome('finance');
    await page.locator('[data-testid="home-close"] a', { hasText: /./ }).last().click();
    await page.waitForSelector('[data-testid="close-checklist"]');
    const same = { ok: 'true', warn: 'warn', fail: 'false' };
    for (const [key, ok] of Object.entries(checks)) {
      await page.waitForSelector(`[data-testid="check-${key}"][data-ok="${same[ok]}"]`, {
        timeout: 15_000,
      });
    }
    assert.deepEqual(errors, []);
  });
});

test('op_supply: orders due and lots expiring on the home are the lists they link to', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'home-supply', async () => {
    const home = await loginAs('op_supply', 'operator');
    const { count: due } = await homeFigure(home, 'receipts_due');
    const { count: expiring } = await homeFigure(home, 'expiring_lots');
    assert.ok(
      due > 0 && expiring > 0,
      `the demo world gives supply work (${due} due, ${expiring} expiring)`,
    );

    const href = await follow('receipts_due', 'purchase-orders-page');
    assert.match(href, /^\/supply\/purchase-orders\?due_by=\d{4}-\d{2}-\d{2}$/);
    await page.waitForSelector('[data-testid="filter-tag-due_by"]');
    assert.ok((await textOf(page, 'filter-tag-due_by')).includes(href.slice(-10)));
    assert.equal(await listTotal('purchase-orders-table', due), due);
    await screenshot(page, 'home-supply-purchase-orders');

    await backHome('operator');
    await follow('expiring_lots', 'stock-page');
    assert.equal(await listTotal('stock-table', expiring), expiring);
    await screenshot(page, 'home-supply-stock');
    assert.deepEqual(errors, []);
  });
});
