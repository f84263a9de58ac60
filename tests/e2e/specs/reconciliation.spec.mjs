// Reconciliation for op_finance: import a Douyin settle bill with planted differences, reconcile the
// month, see the differences in the queue, accept one bill figure (an adjusting entry), ask to
// accept a large one (the owner, a second user, approves it), mark the rest as timing differences,
// close the month, download its report, and see a settlement run dated in the closed month refused.
//
// The bill is built from the demo world's settled Douyin orders. The ledger's expectation per order
// (gross, platform fee, commission at source, net) is read through the API the workbench uses: a
// reconcile of the month before any bill is imported lists every settled order as "missing in
// bill" with the ledger's figures, and the bill written from them matches except where a
// difference is planted.
import assert from 'node:assert/strict';
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

/** Yesterday in China Standard Time: the demo world settles up to it. */
function yesterdayInShanghai() {
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  shanghai.setUTCDate(shanghai.getUTCDate() - 1);
  return shanghai.toISOString().slice(0, 10);
}

/** POST JSON with the page's session and CSRF cookie. */
async function apiPost(page, apiPath, body) {
  return page.evaluate(
    async ({ p, b }) => {
      const token = document.cookie
        .split(';')
        .map((part) => part.trim().split('='))
        .find(([key]) => key === 'csrftoken')?.[1];
      const response = await fetch(p, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'X-CSRFToken': decodeURIComponent(token ?? ''),
        },
        body: JSON.stringify(b),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    { p: apiPath, b: body },
  );
}

/** Every page of a list endpoint. */
async function allPages(page, apiPath) {
  const rows = [];
  for (let number = 1; ; number += 1) {
    const sep = apiPath.includes('?') ? '&' : '?';
    const body = await apiGet(page, `${apiPath}${sep}page_size=200&page=${number}`);
    rows.push(...body.results);
    if (!body.next) return rows;
  }
}

/** Wait until the worker has reported more than `count` reconcile runs of a source (polls the API). */
async function waitForRuns(page, period, source, count) {
  const reported = await page.evaluate(
    async ({ p, s, n }) => {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const response = await fetch(`/api/reconciliation/runs/?period=${p}&source=${s}`, {
          credentials: 'same-origin',
        });
        if ((await response.json()).count > n) return true;
        await new Promise((resolve) => setTimeout(resolve, 250)); // a poll interval, not a guess of how long it takes
      }
      return false;
    },
    { p: period, s: source, n: count },
  );
  assert.ok(reported, `a reconcile run of ${source} ${period} reported`);
}

const HEADER = [
  'settle_time',
  'request_no',
  'shop_order_id',
  'order_id',
  'settle_amount',
  'total_income',
  'total_outcome',
  'platform_service_fee',
  'commission',
  'colonel_service_fee',
  'trade_type',
  'flow_type_desc',
];

test('op_finance reconciles a Douyin bill, resolves a difference, closes the month and sees a posting refused', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'reconciliation', async () => {
    await context.clearCookies();
    await login(page, 'op_finance');
    await page.waitForSelector('[data-testid="home-finance"]');

    await page.locator('.ant-menu').getByText('对账与关账', { exact: true }).click();
    await page.waitForURL(/\/reconciliation\/board/);
    await page.waitForSelector('[data-testid="board-page"]');

    const day = yesterdayInShanghai();
    const period = day.slice(0, 7);

    // The ledger's expectation of every settled Douyin order of the month (see the header).
    const before = await apiGet(page, `/api/reconciliation/runs/?period=${period}&source=douyin`);
    const queued = await apiPost(page, '/api/reconciliation/runs/', { period, source: 'douyin' });
    assert.equal(queued.status, 202, JSON.stringify(queued.body));
    await waitForRuns(page, period, 'douyin', before.count);
    const expected = (
      await allPages(
        page,
        `/api/reconciliation/exceptions/?period=${period}&source=douyin&reason=missing_in_bill`,
      )
    )
      .filter((e) => e.state === 'open' && e.detail?.ledger)
      .sort((a, b) => a.match_key.localeCompare(b.match_key));
    assert.ok(
      expected.length >= 4,
      `the demo world settles at least 4 Douyin orders in ${period}: ${expected.length}`,
    );

    // The bill: every order as the ledger expects it, except the planted differences.
    const [feeOrder, commissionOrder, amountOrder, omitted, ...rest] = expected;
    const line = (order, n, change = {}) => {
      const ledger = order.detail.ledger;
      const fee = ledger.fee + (change.fee ?? 0);
      const commission = ledger.commission + (change.commission ?? 0);
      const net = ledger.net - (change.fee ?? 0) - (change.commission ?? 0) + (change.net ?? 0);
      return [
        `${day} 10:00:${String(n % 60).padStart(2, '0')}`,
        `RE2E${n}`,
        `P${order.match_key}`,
        order.match_key,
        net,
        ledger.gross,
        ledger.gross - net,
        fee,
        commission,
        0,
        // A refund after settlement (the ledger expects negative amounts) is trade type 1: the
        // parser refuses amounts whose sign contradicts the row's trade type.
        [ledger.gross, fee, commission].some((amount) => amount < 0) ? 1 : 0,
        '精选联盟',
      ].join(',');
    };
    const rows = [
      line(feeOrder, 1, { fee: 300 }), // the platform charged ¥3.00 more service fee
      line(commissionOrder, 2, { commission: 200 }), // ¥2.00 more commission at source
      line(amountOrder, 3, { net: -150000 }), // ¥1,500.00 less paid out: above the approval threshold
      ...rest.map((order, i) => line(order, 10 + i)),
      // An order the ledger has never seen.
      [
        `${day} 11:00:00`,
        'RE2E-X',
        'PX',
        'E2E-UNKNOWN-1',
        1000,
        1200,
        200,
        120,
        80,
        0,
        0,
        '精选联盟',
      ].join(','),
    ];
    const csv = `${HEADER.join(',')}\n${rows.join('\n')}\n`;

    await page.getByRole('tab', { name: '账单导入' }).click();
    await page.waitForSelector('[data-testid="recon-imports-page"]');
    await page.setInputFiles('[data-testid="recon-imports-page"] input[type="file"]', {
      name: `douyin-${period}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.click('[data-testid="bill-submit"]');
    await page.waitForSelector('[data-testid="bill-report"]');
    assert.equal(await textOf(page, 'bill-created'), String(rows.length));
    assert.equal(await textOf(page, 'bill-rejected'), '0');
    await screenshot(page, 'reconciliation-import');

    // Reconcile the month's Douyin bill from the board and wait for its run to report.
    await page.goto(`${BASE_URL}/reconciliation/board?period=${period}`);
    await page.waitForSelector('[data-testid="board-page"]');
    await page.locator('[data-testid="reconcile-source"]').click();
    await page
      .locator('.ant-select-item-option')
      .getByText('抖店结算账单', { exact: true })
      .click();
    const runsBefore = await apiGet(
      page,
      `/api/reconciliation/runs/?period=${period}&source=douyin`,
    );
    await page.click('[data-testid="reconcile-start"]');
    await page.getByText('对账完成', { exact: false }).first().waitFor({ timeout: 120_000 });
    const runsAfter = await apiGet(
      page,
      `/api/reconciliation/runs/?period=${period}&source=douyin`,
    );
    assert.equal(runsAfter.count, runsBefore.count + 1);
    await page.waitForSelector('[data-testid="board-row-douyin"]');
    await page.waitForSelector('[data-testid="history-chart"] canvas');
    await page.waitForSelector('[data-testid="aging-chart"] canvas');
    await screenshot(page, 'reconciliation-board');

    const found = await allPages(
      page,
      `/api/reconciliation/exceptions/?period=${period}&source=douyin&state=open`,
    );
    const byKey = new Map(found.map((e) => [e.match_key, e]));
    assert.equal(byKey.get(feeOrder.match_key)?.reason, 'fee_mismatch');
    assert.equal(byKey.get(feeOrder.match_key)?.difference.amount, '3.00');
    assert.equal(byKey.get(commissionOrder.match_key)?.reason, 'commission_mismatch');
    assert.equal(byKey.get(amountOrder.match_key)?.reason, 'amount_mismatch');
    assert.equal(byKey.get('E2E-UNKNOWN-1')?.reason, 'missing_in_ledger');
    assert.equal(byKey.get(omitted.match_key)?.reason, 'missing_in_bill');
    assert.equal(found.length, 5, `exactly the planted differences: ${[...byKey.keys()]}`);

    // The queue shows them; open the fee difference and accept the bill's figure.
    const fee = byKey.get(feeOrder.match_key);
    await page.goto(
      `${BASE_URL}/reconciliation/exceptions?period=${period}&source=douyin&state=open`,
    );
    for (const exception of found) {
      await page.waitForSelector(`[data-testid="exception-row-${exception.id}"]`);
    }
    await page.click(`[data-testid="exception-open-${fee.id}"]`);
    await page.waitForSelector('[data-testid="exception-body"][data-state="open"]');
    // The fee difference: the bill charged ¥3.00 more than the ledger's platform-fee leg.
    assert.ok((await textOf(page, 'exception-bill-side')).includes('RE2E1'));
    assert.ok(
      (await page.locator('.ant-drawer-title').innerText()).includes(feeOrder.match_key),
      'the drawer names the order',
    );
    assert.ok((await textOf(page, 'exception-ledger-side')).includes('平台服务费'));
    assert.ok(
      (await page
        .locator('[data-testid="exception-ledger-side"] a[href^="/ledger/entries/"]')
        .count()) > 0,
      'the ledger side links its entries',
    );
    await screenshot(page, 'reconciliation-exception');
    await page.getByLabel('按账单金额调整').check();
    await page.fill('[data-testid="resolve-note"]', '平台多扣服务费，以账单为准');
    await page.click('[data-testid="resolve-submit"]');
    await confirmMoney(page, 'resolve-confirm', { summary: '1 笔 · 金额合计 ¥' });
    await page.waitForSelector('[data-testid="exception-body"][data-state="accepted"]');
    await page.waitForSelector('[data-testid="exception-entry"]');
    // Below the approval threshold it posts at once; the requester is the viewer.
    assert.ok((await textOf(page, 'exception-requested-by')).includes('你'));
    const accepted = await apiGet(page, `/api/reconciliation/exceptions/${fee.id}/`);
    assert.equal(accepted.state, 'accepted');
    assert.ok(accepted.entry_id, 'the adjusting entry is posted');
    await page.keyboard.press('Escape');
    await page.waitForSelector(`[data-testid="exception-row-${fee.id}"]`, { state: 'detached' });

    // Accepting the ¥1,500 shortfall needs a second finance user: it waits for approval.
    const amount = byKey.get(amountOrder.match_key);
    assert.equal(amount.difference.amount, '-1500.00');
    await page.click(`[data-testid="exception-open-${amount.id}"]`);
    await page.waitForSelector('[data-testid="exception-body"][data-state="open"]');
    await page.getByLabel('按账单金额调整').check();
    await page.fill('[data-testid="resolve-note"]', '平台少付，已确认按账单入账');
    await page.click('[data-testid="resolve-submit"]');
    await confirmMoney(page, 'resolve-confirm', { summary: '1 笔 · 金额合计 ¥' });
    await page.waitForSelector('[data-testid="exception-body"][data-state="pending_approval"]');
    await page.waitForSelector('[data-testid="exception-approve-own"]');
    assert.equal(await page.locator('[data-testid="exception-approve"]').count(), 0);
    await screenshot(page, 'reconciliation-pending-approval');
    await page.keyboard.press('Escape');
    await page.waitForSelector(`[data-testid="exception-row-${amount.id}"]`, { state: 'detached' });

    // The rest: expected to clear next month (a bulk action with a note).
    await page.locator('[data-testid="exceptions-table"] thead input[type="checkbox"]').check();
    assert.equal(await textOf(page, 'bulk-count'), `已选 ${found.length - 2} 条`);
    await page.click('[data-testid="bulk-timing"]');
    await page.fill('[data-testid="bulk-note"]', '平台下月结算');
    await page.click('[data-testid="bulk-confirm"]');
    for (const exception of found) {
      await page.waitForSelector(`[data-testid="exception-row-${exception.id}"]`, {
        state: 'detached',
      });
    }
    const stillOpen = await apiGet(
      page,
      `/api/reconciliation/exceptions/?period=${period}&source=douyin&state=open`,
    );
    assert.equal(stillOpen.count, 0);

    // The owner (a second user allowed to approve) approves the pending adjustment: it posts.
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-page"]');
    await login(page, 'op_admin');
    // After a logout the login returns to the page left, not to the home.
    await page.locator('[data-testid="header-user"]', { hasText: '王丽' }).waitFor();
    await page.goto(`${BASE_URL}/reconciliation/exceptions?open=${amount.id}`);
    await page.waitForSelector('[data-testid="exception-body"][data-state="pending_approval"]');
    assert.equal(await page.locator('[data-testid="exception-approve-own"]').count(), 0);
    await page.click('[data-testid="exception-approve"]');
    await confirmMoney(page, 'resolve-confirm');
    await page.waitForSelector('[data-testid="exception-body"][data-state="accepted"]');
    await page.waitForSelector('[data-testid="exception-entry"]');
    assert.ok((await textOf(page, 'exception-approved-by')).includes('你'));
    const approved = await apiGet(page, `/api/reconciliation/exceptions/${amount.id}/`);
    assert.equal(approved.state, 'accepted');
    assert.notEqual(approved.approved_by, approved.requested_by);
    assert.ok(approved.entry_id, 'the approved adjustment is posted');
    await screenshot(page, 'reconciliation-approved');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="exception-body"]', { state: 'detached' });

    // Close the month, as the owner: no exception blocks it now, but a platform that had lines
    // settled this month without a bill imported (the demo settles Kuaishou too) is a red item
    // that only an owner may close over, giving a reason.
    await page.goto(`${BASE_URL}/reconciliation/close?period=${period}`);
    await page.waitForSelector('[data-testid="check-blocking"][data-ok="true"]');
    const board = await apiGet(page, `/api/reconciliation/runs/board/?period=${period}`);
    const missing = board.sources.filter((s) => s.bill_missing).map((s) => s.source);
    assert.ok(!missing.includes('douyin'), 'the Douyin bill was imported');
    await page.waitForSelector(`[data-testid="check-bills"][data-ok="${missing.length === 0}"]`);
    if (missing.length > 0) {
      const labels = { kuaishou: '快手账单', taobao: '淘宝联盟结算', wechat: '微信支付分账' };
      const text = await textOf(page, 'check-bills');
      for (const source of missing) assert.ok(text.includes(labels[source]), text);
      await page.fill('[data-testid="close-override-reason"]', '账单下月初到，先行关账');
    }
    await screenshot(page, 'reconciliation-checklist');
    await page.click('[data-testid="close-submit"]');
    await page.click('[data-testid="close-confirm"]');
    await page.waitForSelector('[data-testid="close-state"][data-closed="yes"]');
    const closes = await apiGet(page, '/api/reconciliation/closes/');
    assert.equal(closes.results.find((c) => c.period === period)?.state, 'closed');

    const report = await page.evaluate(
      async (href) => {
        const response = await fetch(href, { credentials: 'same-origin' });
        return { status: response.status, type: response.headers.get('content-type') };
      },
      await page.getAttribute('[data-testid="close-report-xlsx"]', 'href'),
    );
    assert.equal(report.status, 200);
    assert.match(report.type, /spreadsheetml/);
    await screenshot(page, 'reconciliation-closed');

    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-page"]');
    await login(page, 'op_finance');
    await page.locator('[data-testid="header-user"]', { hasText: '杨帆' }).waitFor();

    // A settlement run up to yesterday would post into the closed month: refused, and said so.
    await page.goto(`${BASE_URL}/settlement/runs`);
    await page.waitForSelector('[data-testid="runs-table"]');
    assert.equal(await page.locator('[data-testid="run-cutoff"] input').inputValue(), day);
    const [refused] = await Promise.all([
      page.waitForResponse(
        (r) =>
          r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/settlement/runs/',
      ),
      page.click('[data-testid="run-start"]').then(() => confirmMoney(page, 'run-confirm')),
    ]);
    assert.ok(refused.status() >= 400, `the run is refused: ${refused.status()}`);
    assert.equal((await refused.json()).code, 'period_closed');
    await page.waitForSelector('[data-testid="run-start-error"]');
    assert.ok((await textOf(page, 'run-start-error')).includes('已关账'));
    await screenshot(page, 'reconciliation-posting-refused');

    // Reopening is an owner's audited action; it also leaves the shared demo month open for the
    // specs that run after this one.
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-page"]');
    await login(page, 'op_admin');
    await page.locator('[data-testid="header-user"]', { hasText: '王丽' }).waitFor();
    const closed = closes.results.find((c) => c.period === period);
    const reopened = await apiPost(page, `/api/reconciliation/closes/${closed.id}/reopen/`, {
      reason: '浏览器测试结束，重新开账 / end of the browser test',
    });
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
    const after = (await apiGet(page, '/api/reconciliation/closes/')).results.find(
      (c) => c.period === period,
    );
    assert.notEqual(after?.state, 'closed');

    assert.deepEqual(errors, []);
  });
});

test('op_finance sees the brand contracts and edits a platform fee in the settlement Contracts tab', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'contracts', async () => {
    await context.clearCookies();
    await login(page, 'op_finance');
    await page.waitForSelector('[data-testid="home-finance"]');
    await page.goto(`${BASE_URL}/settlement/runs`);
    await page.getByRole('tab', { name: '合同' }).click();
    await page.waitForURL(/\/settlement\/contracts$/);
    await page.waitForSelector('[data-testid="contracts-table"]');

    const terms = await apiGet(page, '/api/settlement/platform-terms/');
    const rows = Array.isArray(terms) ? terms : terms.results;
    assert.ok(rows.length > 0, 'the platforms have terms');
    const douyin = rows.find((row) => row.platform === 'douyin') ?? rows[0];
    await page.waitForSelector(`[data-testid="terms-row-${douyin.platform}"]`);

    // Raise the default fee by 0.25 points: typed as %, sent as bps.
    const next = douyin.service_fee_bps + 25;
    const percent = `${Math.floor(next / 100)}.${String(next % 100).padStart(2, '0')}`;
    await page.click(`[data-testid="terms-edit-${douyin.platform}"]`);
    await page.fill('[data-testid="terms-service-fee"]', percent);
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH'),
      page.click('[data-testid="terms-save"]'),
    ]);
    assert.equal(saved.status(), 200, await saved.text());
    const after = await apiGet(page, '/api/settlement/platform-terms/');
    const changed = (Array.isArray(after) ? after : after.results).find((r) => r.id === douyin.id);
    assert.equal(changed.service_fee_bps, next);
    await page
      .locator(`[data-testid="terms-row-${douyin.platform}"]`, { hasText: `${percent}%` })
      .waitFor();
    await page.locator('[data-testid="terms-save"]').waitFor({ state: 'hidden' });
    await screenshot(page, 'settlement-contracts');
    assert.deepEqual(errors, []);
  });
});
