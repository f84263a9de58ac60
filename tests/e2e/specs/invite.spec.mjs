import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE_URL, login, openBrowser, screenshot, withFailureScreenshot } from '../lib.mjs';

// 统一社会信用代码 check character (GB 32100-2015), to invite with a valid code.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function creditCode(first17) {
  let total = 0;
  for (let i = 0; i < 17; i += 1) total += ALPHABET.indexOf(first17[i]) * (3 ** i % 31);
  return first17 + ALPHABET[(31 - (total % 31)) % 31];
}

let session;
before(async () => {
  session = await openBrowser();
});
after(async () => {
  await session?.browser.close();
});

test('the operator invites a brand; the invitee accepts in the browser and lands on the brand home', async () => {
  const { browser, page, errors } = session;
  await withFailureScreenshot(page, 'invite', async () => {
    await login(page, 'op_admin');
    await page.waitForSelector('[data-testid="home-operator"]');
    const serial = String(Date.now()).slice(-8);
    const code = creditCode(`91511800${serial}X`.slice(0, 17));
    const created = await page.evaluate(
      async ({ code }) => {
        const token = document.cookie.match(/csrftoken=([^;]+)/)?.[1] ?? '';
        const response = await fetch('/api/parties/invitations/', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token },
          body: JSON.stringify({
            kind: 'brand',
            organization_name: '雅安测试名山茶业有限公司',
            credit_code: code,
            email: 'tea@example.com',
          }),
        });
        return { status: response.status, body: await response.json() };
      },
      { code },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));

    // The invitee has no session of their own.
    const invitee = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page2 = await invitee.newPage();
    page2.on('pageerror', (error) => errors.push(String(error)));
    await page2.goto(`${BASE_URL}${created.body.invite_url}`);
    await page2.waitForSelector('[data-testid="invite-page"]');
    // The page renders at once and fills in the invitation when the API answers: wait for it.
    await page2.getByText('雅安测试名山茶业有限公司').waitFor();
    await page2.fill('#username', `tea_owner_${serial}`);
    await page2.fill('#password', '12345');
    await page2.click('button[type="submit"]');
    // The form refuses a short password before anything is sent.
    await page2.waitForSelector('.ant-form-item-explain-error');
    await page2.fill('#password', 'mingshan-tea-2026');
    await page2.click('button[type="submit"]');
    await page2.waitForSelector('[data-testid="home-brand"]');
    await page2
      .locator('[data-testid="home-brand"]')
      .getByText('雅安测试名山茶业有限公司')
      .first()
      .waitFor();
    await screenshot(page2, 'invite-accepted-brand-home');

    // The link is single-use.
    await page2.goto(`${BASE_URL}${created.body.invite_url}`);
    await page2.waitForSelector('[data-testid="invite-invalid"]');
    await invitee.close();
    assert.deepEqual(errors, []);
  });
});
