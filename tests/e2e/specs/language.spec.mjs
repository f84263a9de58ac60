import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { login, openBrowser, screenshot, textOf, withFailureScreenshot } from '../lib.mjs';

let session;
before(async () => {
  session = await openBrowser();
});
after(async () => {
  await session?.browser.close();
});

test('the 中文/English switch changes the heading and is remembered', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'language', async () => {
    await login(page, 'brand_jiu');
    await page.waitForSelector('[data-testid="home-brand"]');
    assert.equal(await textOf(page, 'page-title'), '品牌商工作台');

    await page
      .locator('[data-testid="language-switch"]')
      .getByText('English', { exact: true })
      .click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="page-title"]')?.textContent === 'Brand workspace',
    );
    assert.equal(await textOf(page, 'page-title'), 'Brand workspace');
    assert.ok((await page.locator('[data-testid="logout"]').innerText()).includes('Log out'));
    await screenshot(page, 'language-english');

    await page.reload();
    await page.waitForSelector('[data-testid="home-brand"]');
    assert.equal(
      await textOf(page, 'page-title'),
      'Brand workspace',
      'the choice survives a reload',
    );

    await page
      .locator('[data-testid="language-switch"]')
      .getByText('中文', { exact: true })
      .click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="page-title"]')?.textContent === '品牌商工作台',
    );
    assert.deepEqual(errors, []);
  });
});
