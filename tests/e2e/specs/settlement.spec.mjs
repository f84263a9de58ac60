// Settlement for op_finance: start a run up to yesterday and watch it reach done, then approve a
// statement and download its PDF. The demo world settles once up to yesterday while it is seeded,
// so the run started here may find nothing new (0 statements); the statements it approves are the
// seeded run's drafts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  apiGet,
  confirmMoney,
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

/** Yesterday in China Standard Time, as the page's default cut-off. */
function yesterdayInShanghai() {
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  shanghai.setUTCDate(shanghai.getUTCDate() - 1);
  return shanghai.toISOString().slice(0, 10);
}

test('op_finance runs a settlement to done, approves a statement and downloads its PDF', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'settlement-finance', async () => {
    await context.clearCookies();
    await login(page, 'op_finance');
    await page.waitForSelector('[data-testid="home-finance"]');

    await page.locator('.ant-menu').getByText('结算', { exact: true }).click();
    await page.waitForURL(/\/settlement\/runs$/);
    await page.waitForSelector('[data-testid="runs-table"]');
    const cutoff = yesterdayInShanghai();
    assert.equal(await page.locator('[data-testid="run-cutoff"] input').inputValue(), cutoff);

    const [created] = await Promise.all([
      page.waitForResponse(
        (r) =>
          r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/settlement/runs/',
      ),
      page.click('[data-testid="run-start"]').then(() => confirmMoney(page, 'run-confirm')),
    ]);
    assert.equal(created.status(), 201, `POST /api/settlement/runs/ answered ${created.status()}`);
    const run = await created.json();
    assert.equal(run.cutoff, cutoff);

    // The list polls while the run is active: the row's progress reaches done without a reload.
    await page.waitForSelector(`[data-testid="run-progress-${run.id}"][data-state="done"]`, {
      timeout: 180_000,
    });
    const finished = await apiGet(page, `/api/settlement/runs/${run.id}/`);
    assert.equal(finished.state, 'done');
    assert.equal(finished.progress, 100);
    await screenshot(page, 'settlement-run-done');

    await page.getByRole('tab', { name: '结算单' }).click();
    await page.waitForURL(/\/settlement\/statements/);
    await page.waitForSelector('[data-testid="statements-table"]');
    const drafts = await apiGet(page, '/api/settlement/statements/?state=draft&page_size=1');
    if (drafts.count === 0) {
      const all = await apiGet(page, '/api/settlement/statements/?page_size=1');
      assert.equal(all.count, 0, 'statements exist but none is a draft to approve');
      console.log('# the demo world has no statements: approval and PDF not exercised');
      assert.deepEqual(errors, []);
      return;
    }
    const statement = drafts.results[0];

    await page.goto(`${BASE_URL}/settlement/statements?state=draft`);
    await page.waitForSelector(`[data-testid="statement-row-${statement.id}"]`);
    await page.click(`[data-testid="statement-approve-${statement.id}"]`);
    await confirmMoney(page, 'approve-confirm', { summary: `1 笔 · 金额合计 ¥` });
    // Approved, it leaves the list of drafts.
    await page.waitForSelector(`[data-testid="statement-row-${statement.id}"]`, {
      state: 'detached',
    });
    const approved = await apiGet(page, `/api/settlement/statements/${statement.id}/`);
    assert.equal(approved.state, 'approved');

    await page.goto(`${BASE_URL}/settlement/statements?state=approved&open=${statement.id}`);
    await page.waitForSelector('[data-testid="statement-balance"]');
    await page.waitForSelector('[data-testid="statement-drawer"] [data-testid="state-approved"]');
    await screenshot(page, 'settlement-statement-drawer');

    const link = page.locator('[data-testid="statement-download-pdf"]');
    const href = await link.getAttribute('href');
    assert.equal(href, `/api/settlement/statements/${statement.id}/download/?fmt=pdf`);
    const file = await page.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        size: bytes.length,
        magic: String.fromCharCode(...bytes.slice(0, 5)),
      };
    }, href);
    assert.equal(file.status, 200);
    assert.equal(file.type, 'application/pdf');
    assert.ok(file.size > 0, 'the PDF is not empty');
    assert.equal(file.magic, '%PDF-');

    // The link itself downloads the file with the session cookie.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
    const saved = readFileSync(await download.path());
    assert.ok(saved.length > 0, 'the downloaded PDF is not empty');
    assert.equal(saved.subarray(0, 5).toString('latin1'), '%PDF-');

    assert.deepEqual(errors, []);
  });
});

/** "1234.5" → 123450n fen (the amounts the API sends are decimal strings). */
function fen(amount) {
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  return amount.startsWith('-') ? -value : value;
}

/** How the SPA prints an amount of fen: ¥1,234.50. */
function yuan(minor) {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}¥${whole}.${cents}`;
}

function responseOf(page, method, pathname) {
  return page.waitForResponse(
    (r) => r.request().method() === method && new URL(r.url()).pathname === pathname,
  );
}

test('op_finance pays an approved statement by bank batch and imports the bank result', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'settlement-payouts', async () => {
    await context.clearCookies();
    await login(page, 'op_finance');
    await page.waitForSelector('[data-testid="home-finance"]');
    const approved = await apiGet(page, '/api/settlement/statements/?state=approved&page_size=100');
    let statement = null;
    for (const candidate of approved.results) {
      if (fen(candidate.closing.amount) <= 0n) continue;
      const payouts = await apiGet(page, `/api/settlement/payouts/?statement=${candidate.id}`);
      if (payouts.count === 0) {
        statement = candidate;
        break;
      }
    }
    if (!statement) {
      console.log('# no approved statement left to pay: payouts not exercised');
      return;
    }

    await page.goto(`${BASE_URL}/settlement/payouts`);
    const row = page.locator(
      `[data-testid="payable-statements"] tr[data-row-key="${statement.id}"]`,
    );
    await row.locator('input[type="checkbox"]').check();
    const [planned] = await Promise.all([
      responseOf(page, 'POST', '/api/settlement/payouts/'),
      page
        .click('[data-testid="payouts-create"]')
        .then(() => confirmMoney(page, 'pay-confirm', { summary: '1 笔 · 金额合计 ¥' })),
    ]);
    assert.equal(planned.status(), 201);
    const plan = await planned.json();
    if (plan.skipped.length > 0) {
      // Below the minimum payout, on hold…: the page names the statement and says why.
      await page.waitForSelector(`[data-testid="skipped-${statement.id}"]`);
      console.log(`# statement ${statement.id} skipped: ${plan.skipped[0].reason}`);
      assert.deepEqual(errors, []);
      return;
    }
    assert.equal(plan.created.length, 1);
    assert.equal(plan.created[0].rail, 'bank');
    await page.waitForSelector(
      `[data-testid="payouts-table"] tr[data-row-key="${plan.created[0].id}"] [data-testid="state-pending"]`,
    );

    const [batched] = await Promise.all([
      responseOf(page, 'POST', '/api/settlement/payout-batches/'),
      page.click('[data-testid="batch-create"]').then(() => confirmMoney(page, 'batch-confirm')),
    ]);
    assert.equal(batched.status(), 201);
    const batch = await batched.json();
    await page.waitForSelector(`[data-testid="batches-table"] tr[data-row-key="${batch.id}"]`);
    const href = await page
      .locator(`[data-testid="batch-file-${batch.id}-csv"]`)
      .getAttribute('href');
    const csv = await page.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return { status: response.status, text: await response.text() };
    }, href);
    assert.equal(csv.status, 200);
    const references = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(',')[0]);
    assert.ok(references.length >= 1, `the batch file lists its payouts: ${csv.text}`);

    const input = page.locator(
      `.ant-upload:has([data-testid="batch-upload-${batch.id}"]) input[type="file"]`,
    );
    // A row naming a payout outside the batch: the whole file is refused and the row named.
    await input.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('业务参考号,状态,银行流水号,说明\nnot-in-batch,成功,X1,\n'),
    });
    await page.waitForSelector('[data-testid="batch-row-error-2"]');
    await screenshot(page, 'settlement-batch-bad-file');

    const result = ['业务参考号,状态,银行流水号,说明']
      .concat(references.map((ref, i) => `${ref},成功,BK${batch.id}${i},`))
      .join('\n');
    await input.setInputFiles({
      name: 'result.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${result}\n`),
    });
    await page.waitForSelector('[data-testid="batch-results"]');
    assert.ok(
      (await textOf(page, 'batch-results')).includes(`到账 ${references.length}`),
      await textOf(page, 'batch-results'),
    );
    const paid = await apiGet(page, `/api/settlement/payouts/${plan.created[0].id}/`);
    assert.equal(paid.state, 'paid');
    await page.waitForSelector(
      `[data-testid="payouts-table"] tr[data-row-key="${paid.id}"] [data-testid="state-paid"]`,
    );
    await screenshot(page, 'settlement-payouts');
    assert.deepEqual(errors, []);
  });
});

for (const username of ['brand_jiu', 'mcn_owner', 'anchor_xiaoman']) {
  test(`${username} sees estimated and settled earnings and downloads a statement`, async () => {
    const { page, context, errors } = session;
    await withFailureScreenshot(page, `settlement-earnings-${username}`, async () => {
      await context.clearCookies();
      await login(page, username);
      await page.waitForSelector('[data-testid^="home-"]');
      await page.locator('.ant-menu').getByText('我的收益').click();
      await page.waitForURL(/\/earnings$/);
      const rows = await apiGet(page, '/api/settlement/earnings/');
      assert.ok(rows.length > 0, 'the earnings answer has a row for the login');
      const total = (key) => rows.reduce((sum, row) => sum + fen(row[key].amount), 0n);
      await page.waitForSelector('[data-testid="earnings-estimated"]');
      assert.equal(await textOf(page, 'earnings-estimated'), yuan(total('estimated')));
      assert.equal(await textOf(page, 'earnings-settled'), yuan(total('settled')));
      assert.equal(
        await textOf(page, 'earnings-at-source'),
        yuan(total('estimated_at_source') + total('settled_at_source')),
      );
      // The chart (loaded on demand) draws on a canvas.
      await page.waitForSelector('[data-testid="earnings-chart"] canvas');
      const statements = await apiGet(page, '/api/settlement/statements/?page=1&page_size=20');
      await screenshot(page, `settlement-earnings-${username}`);
      if (statements.count > 0) {
        const first = statements.results[0];
        await page.waitForSelector(`[data-testid="statement-files-${first.id}-pdf"]`);
        const file = await page.evaluate(async (url) => {
          const response = await fetch(url, { credentials: 'same-origin' });
          return {
            status: response.status,
            type: response.headers.get('content-type'),
            size: (await response.arrayBuffer()).byteLength,
          };
        }, `/api/settlement/statements/${first.id}/download/?fmt=pdf`);
        assert.deepEqual([file.status, file.type], [200, 'application/pdf']);
        assert.ok(file.size > 0);
      }
      // The finance pages are not theirs.
      await page.goto(`${BASE_URL}/settlement/runs`);
      await page.waitForSelector('[data-testid="forbidden"]');
      assert.deepEqual(errors, []);
    });
  });
}

test('op_finance imports an order file and sees its progress, counts and rejected row', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'settlement-import', async () => {
    await context.clearCookies();
    await login(page, 'op_finance');
    await page.waitForSelector('[data-testid="home-finance"]');
    await page.goto(`${BASE_URL}/settlement/imports`);
    await page.waitForSelector('[data-testid="imports-page"]');
    await page.locator('[data-testid="import-platform"]').click();
    await page.locator('.ant-select-item-option').getByText('通用 CSV').click();
    const stamp = Date.now();
    const csv = [
      'platform,order_id,status,paid_at,pay_amount,quantity,product_name',
      `douyin,E2E${stamp}1,paid,2026-11-20 20:15:00,169.00,1,叙府窖 52度`,
      `douyin,E2E${stamp}2,paid,2026-11-20 20:16:00,"¥1,299.00",2,叙府窖 52度`,
      `douyin,E2E${stamp}3,paid,2026-11-20 20:17:00,abc,1,叙府窖 52度`,
    ].join('\n');
    await page
      .locator('[data-testid="imports-page"] input[type="file"]')
      .setInputFiles({ name: `e2e-${stamp}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const [uploaded] = await Promise.all([
      page.waitForResponse(
        (r) =>
          r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/orders/batches/',
      ),
      page.click('[data-testid="import-submit"]'),
    ]);
    assert.equal(uploaded.status(), 201, await uploaded.text());
    const batch = await uploaded.json();
    await page.waitForSelector('[data-testid="import-progress"][data-state="done"]', {
      timeout: 120_000,
    });
    const done = await apiGet(page, `/api/orders/batches/${batch.id}/`);
    assert.equal(done.state, 'done');
    assert.equal(done.rejected, 1, JSON.stringify(done));
    assert.equal(await textOf(page, 'import-created'), String(done.created));
    assert.equal(await textOf(page, 'import-rejected'), '1');
    const rejected = await textOf(page, 'import-rejected-rows');
    assert.ok(rejected.includes(String(done.rejected_rows[0].line)), rejected);
    // The list of imports follows once the import has finished.
    await page.waitForSelector(
      `[data-testid="imports-table"] tr[data-row-key="${batch.id}"] [data-testid="state-done"]`,
    );
    await screenshot(page, 'settlement-import');
    assert.deepEqual(errors, []);
  });
});
