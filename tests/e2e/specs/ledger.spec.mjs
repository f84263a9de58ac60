// The ledger is finance's: a brand sees its stock but not the ledger; op_finance sees the trial
// balance balanced per currency, and downloads it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  apiGet,
  assertForbidden,
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

/**
 * Log in and wait for the home page. The backend allows 10 logins a minute from one address and
 * the whole suite runs from 127.0.0.1, so a throttled attempt waits and tries again.
 */
async function signIn(page, username, home) {
  for (let attempt = 0; ; attempt += 1) {
    await login(page, username);
    const outcome = await Promise.race([
      page.waitForSelector(`[data-testid="home-${home}"]`).then(() => 'home'),
      page
        .getByText('尝试次数过多')
        .waitFor()
        .then(() => 'throttled'),
    ]);
    if (outcome === 'home') return;
    assert.ok(attempt < 8, `${username}: login still throttled`);
    await page.waitForTimeout(10_000);
  }
}

/** Issue 16: no raw account key (org2:…, anchor5:…) and no demo marker anywhere on the page. */
async function assertReadsAsWords(page) {
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /\b(org|anchor)\d+:[a-z_]+:/, 'a raw account key on the page');
  assert.doesNotMatch(text, /demo:/i, 'a demo marker on the page');
}

async function tableRows(page, testId) {
  await page.waitForSelector(`[data-testid="${testId}"] tbody tr.ant-table-row`);
  return page.locator(`[data-testid="${testId}"] tbody tr.ant-table-row`).count();
}

test('brand_jiu sees its stock and purchase orders read-only, and no ledger page', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'ledger-brand', async () => {
    await context.clearCookies();
    await signIn(page, 'brand_jiu', 'brand');
    await page.locator('.ant-menu').getByText('进销存').click();
    await page.waitForURL(/\/supply\/stock$/);
    const stock = await apiGet(page, '/api/supply/stock/?page=1&page_size=20&in_stock=true');
    assert.ok(stock.count > 0, 'the demo world holds stock of brand_jiu goods');
    assert.equal(await tableRows(page, 'stock-table'), Math.min(stock.count, 20));
    const text = await textOf(page, 'stock-table');
    assert.ok(text.includes('XFJ-NX52-500'), 'its own SKU is listed');
    assert.ok(!text.includes('MD-GL-100'), "another brand's SKU is not");
    await screenshot(page, 'brand-stock');
    // The export holds the same rows as the list, and no other brand's.
    const [stockFile] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="stock-export-csv"]').click(),
    ]);
    assert.match(stockFile.suggestedFilename(), /^stock-\d{4}-\d{2}-\d{2}\.csv$/);
    const stockCsv = readFileSync(await stockFile.path(), 'utf8');
    assert.equal(stockCsv.trim().split(/\r?\n/).length - 1, stock.count);
    assert.ok(stockCsv.includes('XFJ-NX52-500') && !stockCsv.includes('MD-GL-100'));

    await page.goto(`${BASE_URL}/supply/purchase-orders`);
    const orders = await apiGet(page, '/api/supply/purchase-orders/?page=1&page_size=20');
    assert.equal(await tableRows(page, 'purchase-orders-table'), Math.min(orders.count, 20));
    assert.equal(await page.locator('[data-testid="po-create"]').count(), 0, 'no create button');
    assert.equal(await page.locator('[data-testid^="po-receive-"]').count(), 0);
    // The operator's registers are not a brand's.
    await page.goto(`${BASE_URL}/supply/counts`);
    await page.waitForSelector('[data-testid="forbidden"]');

    assert.equal(await page.locator('.ant-menu').getByText('总账').count(), 0);
    await assertForbidden(page, '/ledger/accounts', 'finance');
    await assertForbidden(page, '/ledger/trial-balance', 'finance');
    await screenshot(page, 'brand-forbidden-ledger');
    assert.deepEqual(errors, []);
  });
});

test('op_finance sees the trial balance balanced per currency and downloads it', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'ledger-finance', async () => {
    await context.clearCookies();
    await signIn(page, 'op_finance', 'finance');
    await page.locator('.ant-menu').getByText('总账').click();
    await page.waitForSelector('[data-testid="accounts-table"] a[data-testid^="account-link-"]');
    // Accounts read as owner · type · currency in Chinese, never as the key org2:payable_to_party:CNY.
    await assertReadsAsWords(page);
    const accounts = await textOf(page, 'accounts-table');
    assert.match(accounts, / · 应付合作方 · CNY/);
    await page.getByRole('tab', { name: '试算平衡' }).click();
    const tb = await apiGet(page, '/api/ledger/trial-balance/');
    assert.equal(tb.balanced, true);
    for (const total of tb.totals) {
      await page.waitForSelector(`[data-testid="tb-balanced-${total.currency}"]`);
    }
    assert.equal(await tableRows(page, 'tb-lines'), tb.lines.length);
    await assertReadsAsWords(page);
    await screenshot(page, 'finance-trial-balance');
    // An entry's postings name their accounts the same way.
    const [entry] = (await apiGet(page, '/api/ledger/entries/?page_size=1')).results;
    await page.goto(`${BASE_URL}/ledger/entries/${entry.id}`);
    await page.waitForSelector('[data-testid="entry-account-1"]');
    await assertReadsAsWords(page);
    await page.goto(`${BASE_URL}/ledger/trial-balance`);
    await page.waitForSelector('[data-testid="tb-lines"] tbody tr.ant-table-row');

    // The CSV link downloads with the session cookie: one row per account, then per currency
    // a total whose debit and credit sides are equal.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="trial-balance-export-csv"]').click(),
    ]);
    assert.match(download.suggestedFilename(), /^trial-balance-latest\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\ufeff'), 'a BOM, so Excel reads the Chinese');
    const rows = csv.trim().split(/\r?\n/).slice(1);
    const totals = rows.filter((row) => row.includes('合计 Total'));
    assert.equal(totals.length, tb.totals.length);
    assert.equal(rows.length - totals.length, tb.lines.length);
    for (const row of totals) {
      const cells = row.split(',');
      assert.equal(cells.at(-1), cells.at(-2), `debits equal credits: ${row}`);
    }
    assert.deepEqual(errors, []);
  });
});
