// Settlement for op_finance: start a run up to yesterday and watch it reach done, then approve a
// statement and download its PDF. The demo world settles once up to yesterday while it is seeded,
// so the run started here may find nothing new (0 statements); the statements it approves are the
// seeded run's drafts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  apiGet,
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
      page.click('[data-testid="run-start"]'),
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
