// Helpers shared by the specs: Debian's chromium through playwright-core, login, screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8000').replace(/\/$/, '');
export const PASSWORD = process.env.DEMO_PASSWORD || 'shuxuan-demo';
export const ARTIFACTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  process.env.E2E_ARTIFACTS || 'artifacts',
);

// The network is closed: without these flags chromium waits on services it cannot reach.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A fresh browser, context and page; `errors` collects what went wrong in the page. */
export async function openBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    timeout: 60_000,
  });
  const context = await browser.newContext({
    viewport: { width: 1366, height: 860 },
    locale: 'zh-CN',
    // The browser's zone is never Beijing's here: every date-time a person types or reads must be
    // Asia/Shanghai whatever the zone. run.mjs runs the specs under UTC and the time-sensitive
    // ones again under America/Los_Angeles.
    timezoneId: process.env.E2E_TIMEZONE || 'UTC',
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  // Uncaught errors and console errors (a 403 from the anonymous /api/auth/me/ probe is expected).
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`);
    }
  });
  return { browser, context, page, errors };
}

export async function login(page, username) {
  await page.goto(`${BASE_URL}/login`);
  await page.waitForSelector('[data-testid="login-page"]');
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('button[type="submit"]');
}

/** GET an API path with the page's session cookie; returns the parsed JSON. */
export async function apiGet(page, apiPath) {
  const result = await page.evaluate(async (p) => {
    const response = await fetch(p, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    return {
      status: response.status,
      body: await response.json().catch(() => null),
    };
  }, apiPath);
  assert.equal(result.status, 200, `GET ${apiPath} answered ${result.status}`);
  return result.body;
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Text of an element by data-testid, whitespace collapsed. */
export async function textOf(page, testId) {
  const text = await page.locator(`[data-testid="${testId}"]`).first().innerText();
  return text.replace(/\s+/g, ' ').trim();
}

/** How the SPA prints an integer card value (thousands separators). */
export function formatCount(value) {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** How the SPA prints an amount's digits ("47325.59" → "47,325.59"), the currency sign aside. */
export function formatAmount(amount) {
  const [whole, fraction] = String(amount).replace('-', '').split('.');
  return `${formatCount(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Check that the home page shows the organization and at least one numeric card as the API gives them. */
export async function assertHomeShowsApiData(page, home) {
  const data = await apiGet(page, '/api/home/');
  assert.equal(data.home, home, `/api/home/ says home=${data.home}`);
  assert.ok(data.organization?.name, '/api/home/ has an organization');
  await page.waitForSelector('[data-testid="home-organization"]');
  assert.ok(
    (await textOf(page, 'home-organization')).includes(data.organization.name),
    `the page shows the organization name ${data.organization.name}`,
  );
  const cards = data.cards || [];
  const shown = (card) =>
    card.count !== null && card.count !== undefined
      ? formatCount(card.count)
      : card.amount
        ? formatAmount(card.amount.amount)
        : null;
  const numeric = cards.filter((card) => shown(card) !== null);
  assert.ok(numeric.length > 0, `/api/home/ has a numeric card: ${JSON.stringify(cards)}`);
  for (const card of numeric) {
    const text = await textOf(page, `card-value-${card.key}`);
    assert.ok(text.includes(shown(card)), `card ${card.key} shows ${shown(card)}: "${text}"`);
  }
  // The charts are lazy-loaded: wait for their canvases so screenshots show them.
  for (const chart of data.charts || []) {
    if ((await page.locator(`[data-testid="chart-${chart.key}"]`).count()) > 0) {
      await page.waitForSelector(`[data-testid="chart-${chart.key}"] canvas`);
    }
  }
  return data;
}

export async function assertForbidden(page, route, otherHome) {
  await page.goto(`${BASE_URL}${route}`);
  await page.waitForSelector('[data-testid="forbidden"]');
  assert.ok((await textOf(page, 'forbidden')).includes('无权访问此页面'));
  assert.equal(
    await page.locator(`[data-testid="home-${otherHome}"]`).count(),
    0,
    `no ${otherHome} home rendered`,
  );
}

/** Run a spec body; on failure save `<name>-failure.png` before rethrowing. */
export async function withFailureScreenshot(page, name, body) {
  try {
    await body();
  } catch (error) {
    await screenshot(page, `${name}-failure`).catch(() => {});
    throw error;
  }
}

/**
 * A money action's confirmation (lib/confirmMoney in the SPA): waits for it, checks that its
 * summary names the count (and, when given, the total), and confirms.
 */
export async function confirmMoney(page, testId, { summary } = {}) {
  const ok = page.locator(`[data-testid="${testId}-ok"]`);
  await ok.waitFor();
  if (summary !== undefined) {
    const text = (await page.locator(`[data-testid="${testId}-summary"]`).innerText()).trim();
    assert.ok(text.includes(summary), `confirmation says "${text}", expected "${summary}"`);
  }
  // Gone before the spec goes on: a key press (Escape) must reach the page, not the closing dialog.
  // On a busy machine a click can land while the dialog is still opening and be lost (seen in CI:
  // the button stayed, no request was made); clicking again is safe, the dialog answers once.
  for (let attempt = 1; ; attempt += 1) {
    await ok.click();
    try {
      await ok.waitFor({ state: 'detached', timeout: 7_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
