// Catalog end to end: brand_tea creates a product with one SKU and submits it; op_reviewer approves
// it in the review queue; then mcn_owner finds it in the selection center by its Chinese name.
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

// A Chinese name of its own on every run (digits written in Chinese), so a rerun against a
// running server finds this run's product.
const DIGITS = '〇一二三四五六七八九';
const STAMP = String(Date.now())
  .slice(-6)
  .replace(/\d/g, (d) => DIGITS[Number(d)]);
const NAME = `青城山手工雪芽 批次${STAMP}`;
const SKU = `E2E-QC-${Date.now()}`;

let session;
before(async () => {
  session = await openBrowser();
});
after(async () => {
  await session?.browser.close();
});

async function loginAs(page, context, username, home) {
  await context.clearCookies();
  await login(page, username);
  await page.waitForSelector(`[data-testid="home-${home}"]`);
}

test('a brand lists a product, a reviewer approves it, an MCN finds it', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'catalog', async () => {
    // The brand creates the product with one SKU and submits it for review.
    await loginAs(page, context, 'brand_tea', 'brand');
    await page.locator('.ant-menu').getByText('商品', { exact: true }).click();
    await page.waitForSelector('[data-testid="products-table"]');
    await page.click('[data-testid="new-product"]');
    await page.waitForSelector('[data-testid="product-editor"]');

    await page.fill('#name', NAME);
    await page.locator('#category').click({ force: true });
    await page.locator('#category').fill('绿茶');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', {
        hasText: '绿茶',
      })
      .first()
      .click();
    await page.locator('#origin').click({ force: true });
    await page.locator('.ant-cascader-menu-item[title="成都市"]').click();
    await page.locator('.ant-cascader-menu-item[title="都江堰市"]').click();
    await page.locator('#selling_points').fill('高山云雾');
    await page.locator('#selling_points').press('Enter');
    await page.locator('#shelf_life_days').fill('365');
    await page.fill('#ship_from', '都江堰仓');
    await page.fill('#skus_0_code', SKU);
    await page.fill('#skus_0_spec', '特级 100g 罐装');
    await page.fill('#skus_0_supply_price', '58');
    await page.fill('#skus_0_retail_price', '128.5');
    await page.fill('#skus_0_min_live_price', '99.9');
    await page.fill('#skus_0_max_live_price', '128.50');
    await screenshot(page, 'catalog-editor');

    await page.click('[data-testid="submit-product"]');
    await page.click('[data-testid="submit-confirm"]');
    await page.waitForURL(/\/catalog\/products\/\d+$/);
    await page.waitForSelector('[data-testid="product-editor"] [data-testid="status-submitted"]');
    const productId = Number(new URL(page.url()).pathname.split('/').pop());
    const saved = await apiGet(page, `/api/catalog/products/${productId}/`);
    assert.equal(saved.name, NAME);
    assert.equal(saved.status, 'submitted');
    assert.equal(saved.origin_city, '成都市');
    assert.equal(saved.origin_county, '都江堰市');
    assert.deepEqual(saved.selling_points, ['高山云雾']);
    assert.equal(saved.skus.length, 1);
    assert.deepEqual(saved.skus[0].retail_price, { amount: '128.50', currency: 'CNY' });
    assert.deepEqual(saved.skus[0].min_live_price, { amount: '99.90', currency: 'CNY' });
    await screenshot(page, 'catalog-submitted');

    // Not in the selection center before approval.
    const before = await apiGet(
      page,
      `/api/catalog/selection/?q=${encodeURIComponent(NAME)}&page_size=50`,
    );
    assert.ok(!before.results.some((row) => row.product_id === productId));

    // The reviewer approves it from the queue.
    await loginAs(page, context, 'op_reviewer', 'operator');
    await page.locator('.ant-menu').getByText('商品', { exact: true }).click();
    await page.waitForSelector('[data-testid="reviews-table"]');
    const row = page.locator('[data-testid="reviews-table"] tr.ant-table-row', { hasText: NAME });
    await row.waitFor();
    await page.waitForSelector('[data-testid="reviews-table"] .ant-spin-blur', {
      state: 'detached',
    });
    await screenshot(page, 'catalog-review-queue');
    await row.locator(`[data-testid="approve-${productId}"]`).click();
    await page.click('[data-testid="approve-confirm"]');
    await row.waitFor({ state: 'detached' });
    const reviewed = await apiGet(page, `/api/catalog/reviews/${productId}/`);
    assert.equal(reviewed.status, 'approved');

    // An MCN finds it in the selection center by its Chinese name.
    await loginAs(page, context, 'mcn_owner', 'mcn');
    await page.locator('.ant-menu').getByText('选品中心').click();
    await page.waitForSelector('[data-testid="selection-page"]');
    await page.locator('[data-testid="selection-search"] input').fill(NAME);
    await page.locator('[data-testid="selection-search"] input').press('Enter');
    const card = page.locator('[data-testid="selection-results"] .selection-result', {
      hasText: NAME,
    });
    await card.first().waitFor();
    assert.ok((await card.first().innerText()).includes('¥128.50'));
    await screenshot(page, 'catalog-found-in-selection');
    await card.first().click();
    await page.waitForSelector('[data-testid="product-detail"]');
    assert.ok((await textOf(page, 'detail-name')).includes(NAME));
    assert.ok((await textOf(page, 'detail-origin')).includes('成都市 都江堰市'));
    const skus = await textOf(page, 'detail-skus');
    assert.ok(skus.includes(SKU) && skus.includes('¥99.90') && skus.includes('¥128.50'), skus);
    assert.ok(!skus.includes('¥58.00'), 'the supply price is not shown to an MCN');
    assert.deepEqual(errors, []);
  });
});

test('a brand imports products: a refused file lists its problems, a good one is counted', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'catalog-import', async () => {
    await loginAs(page, context, 'brand_tea', 'brand');
    await page.goto(`${BASE_URL}/catalog/import`);
    await page.waitForSelector('[data-testid="import-page"]');
    const header =
      'SKU编码,商品名称,类目,规格,供货价,建议零售价,直播最低价,直播最高价,产地市州,产地区县';
    const code = `E2E-IMP-${Date.now()}`;
    const bad =
      `${header}\n${code},峨眉竹叶青 导入${STAMP},绿茶,100g,12.00,abc,10,12,乐山市,峨眉山市\n` +
      `${code}-2,峨眉雪芽 导入${STAMP},绿茶,100g,12.00,20.00,15,20,北京市,\n`;
    await page.setInputFiles('[data-testid="import-page"] input[type="file"]', {
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad, 'utf8'),
    });
    await page.waitForSelector('[data-testid="import-refused"]');
    const table = await textOf(page, 'import-rejections');
    assert.match(table, /2 retail_price .*不是金额/);
    assert.match(table, /3 origin_city .*北京市/);
    await screenshot(page, 'catalog-import-refused');

    const good = `${header}\n${code},峨眉竹叶青 导入${STAMP},绿茶,100g,12.00,25.50,19.90,25.50,乐山市,峨眉山市\n`;
    await page.setInputFiles('[data-testid="import-page"] input[type="file"]', {
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(good, 'utf8'),
    });
    await page.waitForSelector('[data-testid="import-imported"]');
    assert.ok((await textOf(page, 'import-created')).includes('1'));
    await screenshot(page, 'catalog-import-done');
    const drafts = await apiGet(page, '/api/catalog/products/?status=draft&page_size=100');
    const imported = drafts.results.find((p) => p.skus.some((sku) => sku.code === code));
    assert.ok(imported, 'the imported product is a draft of the brand');
    assert.deepEqual(imported.skus[0].retail_price, { amount: '25.50', currency: 'CNY' });
    assert.deepEqual(errors, []);
  });
});

test('a SKU price error reads whole at 1440 px in English (issue 16)', async () => {
  const { page, context, errors } = session;
  await withFailureScreenshot(page, 'catalog-sku-errors', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await loginAs(page, context, 'brand_tea', 'brand');
    const switchTo = async (language) => {
      await page
        .locator('[data-testid="language-switch"]')
        .getByText(language, { exact: true })
        .click();
    };
    await switchTo('English');
    try {
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="page-title"]')?.textContent === 'Brand workspace',
      );
      await page.goto(`${BASE_URL}/catalog/products/new`);
      await page.waitForSelector('[data-testid="product-editor"]');
      await page.fill('#skus_0_supply_price', '58');
      await page.fill('#skus_0_retail_price', '12');
      await page.fill('#skus_0_min_live_price', '100');
      await page.fill('#skus_0_max_live_price', '1.234');
      await page.fill('#skus_0_spec', '100g');
      const row = page.locator('[data-testid="sku-row-0"]');
      await row
        .locator('#skus_0_retail_price_help .ant-form-item-explain-error', {
          hasText: 'Retail price below supply price',
        })
        .waitFor();
      await row
        .locator('#skus_0_max_live_price_help .ant-form-item-explain-error', {
          hasText: 'at most two decimals',
        })
        .waitFor();
      // A message that no longer applies (typing '12' passes through values it refused) fades out
      // first: measure once it has gone.
      await row.locator('.ant-form-show-help-item-leave').first().waitFor({ state: 'detached' });
      await screenshot(page, 'catalog-sku-errors-en');
      // Every error line shows all its text: nothing clipped by its cell or hidden under a neighbour.
      const clipped = await row.evaluate((element) => {
        const problems = [];
        for (const error of element.querySelectorAll('.ant-form-item-explain-error')) {
          const text = document.createRange();
          text.selectNodeContents(error);
          const box = text.getBoundingClientRect();
          for (let up = error; up && up !== element.parentElement; up = up.parentElement) {
            const style = getComputedStyle(up);
            const clips = style.overflow !== 'visible' || style.overflowX !== 'visible';
            const frame = up.getBoundingClientRect();
            if (
              clips &&
              (box.left < frame.left - 1 ||
                box.right > frame.right + 1 ||
                box.bottom > frame.bottom + 1)
            ) {
              problems.push(`${error.textContent} is cut by ${up.className}`);
            }
          }
          if (error.scrollWidth > error.clientWidth + 1)
            problems.push(`${error.textContent} overflows`);
          const cell = error.closest('.ant-col').getBoundingClientRect();
          const next = error.closest('.ant-col').nextElementSibling?.getBoundingClientRect();
          if (next && box.right > next.left + 1 && box.top < next.bottom && box.bottom > next.top) {
            problems.push(
              `${error.textContent} runs under the next column (${box.right} > ${next.left})`,
            );
          }
          if (box.right > cell.right + 1) problems.push(`${error.textContent} leaves its cell`);
        }
        return problems;
      });
      assert.deepEqual(clipped, []);
    } finally {
      await switchTo('中文');
    }
    assert.deepEqual(errors, []);
  });
});
