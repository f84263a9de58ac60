// 进销存 end to end: op_supply buys goods out, receives them with a lot, sees the stock rise; then
// op_finance sees the operator's inventory account rise by exactly the received value.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

const OPERATOR = '四川蜀选供应链管理有限公司';
const BRAND = '成都川味坊火锅食品有限公司';
const SKU = 'CWF-NY-500';
const QUANTITY = 12;
const UNIT_PRICE = '23.45';
const RECEIVED_FEN = 12n * 2345n; // ¥281.40

// Two browsers: supply staff and finance stay logged in side by side (logins are rate-limited).
let session;
let finance;
before(async () => {
  session = await openBrowser();
  finance = await openBrowser();
});
after(async () => {
  await session?.browser.close();
  await finance?.browser.close();
});

/** The rows of a CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** "¥36,080.00" / "-¥1.50" → fen as a bigint (no floats). */
function fen(text) {
  const match = /(-?)[^\d-]*([\d,]+)\.(\d{2})/.exec(text);
  assert.ok(match, `not an amount: ${text}`);
  const value = BigInt(match[2].replace(/,/g, '') + match[3]);
  return match[1] === '-' ? -value : value;
}

/** Open an antd Select by its form field id and click the option whose text contains `text`. */
async function choose(page, fieldId, text) {
  // Clicking the select's box (not forced) waits for a drawer to finish sliding in.
  await page.locator('.ant-select', { has: page.locator(`#${fieldId}`) }).click();
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', {
    hasText: text,
  });
  await option.first().click();
}

/** Type a date into an antd DatePicker and confirm it. */
async function pickDate(page, fieldId, isoDate) {
  const input = page.locator(`#${fieldId}`);
  await input.click();
  await input.fill(isoDate);
  await input.press('Enter');
}

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

/** The operator's inventory balance as the chart-of-accounts page shows it. */
async function inventoryBalance(page) {
  await page.goto(`${BASE_URL}/ledger/accounts?type=inventory`);
  const row = page.locator('[data-testid="accounts-table"] tr.ant-table-row', {
    hasText: OPERATOR,
  });
  await row.first().waitFor();
  const cell = row.first().locator('[data-testid^="account-balance-"]');
  return { fen: fen(await cell.innerText()), testId: await cell.getAttribute('data-testid') };
}

async function stockOnHand(page) {
  await page.goto(`${BASE_URL}/supply/stock?sku=${SKU}`);
  await page.waitForSelector('[data-testid="stock-table"]');
  const api = await apiGet(page, `/api/supply/stock/?sku=${SKU}&in_stock=true&page_size=100`);
  const expected = api.results.reduce((sum, row) => sum + row.on_hand, 0);
  if (api.count === 0) {
    await page.waitForSelector('[data-testid="stock-table"] .ant-empty');
  } else {
    await page.waitForFunction(
      (value) =>
        document.querySelector('[data-testid="stock-total-on-hand"]')?.textContent ===
        value.toLocaleString('en-US'),
      expected,
    );
  }
  return expected;
}

test('op_supply buys out and receives stock; op_finance sees inventory rise by its value', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'supply', async () => {
    // Before: the operator's inventory balance, as finance reads it.
    await signIn(finance.page, 'op_finance', 'finance');
    const before = await inventoryBalance(finance.page);

    // op_supply: the stock before, then a buy-out purchase order (three steps).
    await signIn(page, 'op_supply', 'operator');
    await page.locator('.ant-menu').getByText('进销存').click();
    await page.waitForSelector('[data-testid="purchase-orders-table"]');
    const onHandBefore = await stockOnHand(page);

    await page.goto(`${BASE_URL}/supply/purchase-orders`);
    await page.click('[data-testid="po-create"]');
    await page.waitForSelector('[data-testid="po-create-drawer"]');
    await choose(page, 'po_brand', BRAND);
    await choose(page, 'po_warehouse', 'YB-CP');
    await page.click('[data-testid="po-next"]');
    await choose(page, 'po_lines_0_stock_item', SKU);
    await page.fill('#po_lines_0_quantity', String(QUANTITY));
    await page.fill('#po_lines_0_unit_price', '23.456');
    await page.click('[data-testid="po-next"]');
    // A price with more than two decimals is refused by the form, not rounded.
    await page.getByText('请输入金额，最多两位小数').waitFor();
    await page.fill('#po_lines_0_unit_price', UNIT_PRICE);
    await page.click('[data-testid="po-next"]');
    await page.waitForSelector('[data-testid="po-review"]');
    assert.equal(await textOf(page, 'po-review-total'), '¥281.40');
    await screenshot(page, 'supply-po-review');
    await page.click('[data-testid="po-submit"]');
    const created = await page
      .locator('.ant-message')
      .getByText(/采购单已创建: PO\d+/)
      .innerText();
    const orderId = Number(/PO(\d+)/.exec(created)[1]);
    const row = page.locator(`[data-testid="purchase-orders-table"] tr[data-row-key="${orderId}"]`);
    await row.locator('[data-testid="state-draft"]').waitFor();

    await page.click(`[data-testid="po-confirm-${orderId}"]`);
    await row.locator('[data-testid="state-confirmed"]').waitFor();

    // Receive: first without the expiry date this SKU needs; the backend's message shows on the line.
    await page.click(`[data-testid="po-receive-${orderId}"]`);
    await page.waitForSelector('[data-testid="receive-drawer"]');
    const order = await apiGet(page, `/api/supply/purchase-orders/${orderId}/`);
    const lineId = order.lines[0].id;
    await choose(page, 'receive_location', 'YB-CP');
    const batch = `E2E-${Date.now()}`;
    await page.fill('#receive_lines_0_batch_number', batch);
    await pickDate(page, 'receive_lines_0_production_date', '2026-10-01');
    await page.click('[data-testid="receive-submit"]');
    const lineError = page.locator(`[data-testid="receive-line-error-${lineId}"]`);
    await lineError.waitFor();
    assert.match(await lineError.innerText(), /保质期/);
    await screenshot(page, 'supply-receive-line-error');

    await pickDate(page, 'receive_lines_0_expiry_date', '2028-09-30');
    await page.click('[data-testid="receive-submit"]');
    await page
      .locator('.ant-message')
      .getByText(/已入库: #\d+/)
      .waitFor();
    await row.locator('[data-testid="state-received"]').waitFor();

    const received = await apiGet(page, `/api/supply/receipts/?purchase_order=${orderId}`);
    assert.equal(received.count, 1);
    assert.equal(received.results[0].lines[0].lot.batch_number, batch);
    assert.equal(received.results[0].lines[0].value.amount, '281.40');

    const onHandAfter = await stockOnHand(page);
    assert.equal(onHandAfter, onHandBefore + QUANTITY, 'stock on hand rose by what was received');
    await page
      .locator('[data-testid="stock-table"] tr.ant-table-row', { hasText: batch })
      .waitFor();
    await screenshot(page, 'supply-stock-after');

    // The 进销存 report shows the purchase (this month).
    await page.goto(`${BASE_URL}/supply/report`);
    await page
      .locator('[data-testid="report-table"] tr.ant-table-row', { hasText: SKU })
      .first()
      .waitFor();
    await screenshot(page, 'supply-report');

    // Its Excel/CSV export is the server's: download the CSV and read it back; every row and the
    // totals line are the report's figures to the fen.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid="report-export-csv"]').click(),
    ]);
    const named = /^jinxiaocun-(\d{4}-\d{2}-\d{2})-(\d{4}-\d{2}-\d{2})\.csv$/.exec(
      download.suggestedFilename(),
    );
    assert.ok(named, download.suggestedFilename());
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\ufeff'), 'a BOM, so Excel reads the Chinese');
    const [header, ...cells] = parseCsv(csv.slice(1));
    assert.equal(header[0], 'SKU');
    assert.equal(header.at(-1), '期末 Closing 金额 Value');
    const report = await apiGet(
      page,
      `/api/supply/report/?date_from=${named[1]}&date_to=${named[2]}`,
    );
    const body = cells.filter((row) => row[0] !== '小计 Subtotal' && row[0] !== '合计 Total');
    assert.deepEqual(
      body.map((row) => [row[0], row[2], row.at(-2), row.at(-1)]),
      report.map((r) => [
        r.sku_code,
        r.owner_name,
        String(r.closing.quantity),
        r.closing.value.amount,
      ]),
    );
    assert.ok(body.some((row) => row[0] === SKU && row[2] === OPERATOR));
    const total = cells.find((row) => row[0] === '合计 Total');
    const closingFen = report.reduce((sum, r) => sum + fen(r.closing.value.amount), 0n);
    assert.equal(fen(total.at(-1)), closingFen, 'the totals line is the report summed');

    await withFailureScreenshot(finance.page, 'supply-finance', async () => {
      // After: finance reads the balance again; it rose by exactly the received value.
      const after = await inventoryBalance(finance.page);
      assert.equal(after.testId, before.testId, 'the same account');
      assert.equal(after.fen - before.fen, RECEIVED_FEN, `inventory rose by ¥281.40`);
      await screenshot(finance.page, 'finance-inventory-after');

      // The account's ledger has the receipt's posting; its entry names the source.
      await finance.page
        .locator('[data-testid="accounts-table"] tr.ant-table-row', { hasText: OPERATOR })
        .locator('a[data-testid^="account-link-"]')
        .click();
      await finance.page.waitForSelector('[data-testid="account-ledger-page"]');
      const posting = finance.page.locator('[data-testid="postings-table"] tr.ant-table-row', {
        hasText: `PO${orderId} `,
      });
      await posting.waitFor();
      assert.ok((await posting.innerText()).includes('¥281.40'));
      await screenshot(finance.page, 'finance-account-ledger');
      await posting.locator('a[data-testid^="entry-link-"]').click();
      await finance.page.waitForSelector('[data-testid="entry-page"]');
      assert.ok((await textOf(finance.page, 'entry-source')).includes('supply.receipt'));
      assert.ok((await textOf(finance.page, 'entry-memo')).includes(`PO${orderId}`));
      assert.equal(
        await finance.page.locator('[data-testid="entry-postings"] tr.ant-table-row').count(),
        2,
      );
      await screenshot(finance.page, 'finance-entry');
      assert.deepEqual(finance.errors, []);
    });
    assert.deepEqual(errors, []);
  });
});
