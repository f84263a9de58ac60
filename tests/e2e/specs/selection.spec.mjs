// Selection center: mcn_owner searches in Chinese, sees facet counts, filters by origin (results
// and counts change), and opens a product's detail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiGet,
  formatCount,
  login,
  openBrowser,
  screenshot,
  textOf,
  withFailureScreenshot,
} from '../lib.mjs';

const QUERY = '白酒';
const CITY = '泸州市';

let session;
before(async () => {
  session = await openBrowser();
});
after(async () => {
  await session?.browser.close();
});

/** The count shown next to a facet option. */
async function facetCount(page, testId) {
  const text = await page
    .locator(`[data-testid="${testId}"] [data-testid="facet-count"]`)
    .innerText();
  return text.trim();
}

async function resultOrigins(page) {
  return page
    .locator('[data-testid="selection-results"] [data-testid="result-origin"]')
    .allInnerTexts();
}

test('mcn_owner searches 白酒, filters by origin and opens a product', async () => {
  const { page, errors } = session;
  await withFailureScreenshot(page, 'selection', async () => {
    await login(page, 'mcn_owner');
    await page.waitForSelector('[data-testid="home-mcn"]');
    await page.locator('.ant-menu').getByText('选品中心').click();
    await page.waitForSelector('[data-testid="selection-page"]');

    // Infinite scroll over the whole demo catalog (newest first) until there is no more.
    const cards = page.locator('[data-testid="selection-results"] .selection-result');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 20, 'one page before scrolling');
    for (let i = 0; i < 20 && (await page.locator('[data-testid="no-more"]').count()) === 0; i++) {
      await page.mouse.wheel(0, 4000);
      await page.waitForTimeout(300);
    }
    await page.waitForSelector('[data-testid="no-more"]');
    const total = await cards.count();
    assert.ok(total > 40, `several pages loaded: ${total}`);
    const ids = await cards.evaluateAll((els) => els.map((el) => el.dataset.testid));
    assert.equal(new Set(ids).size, ids.length, 'no row twice across pages');

    await page.locator('[data-testid="selection-search"] input').fill(QUERY);
    await page.locator('[data-testid="selection-search"] input').press('Enter');
    await page.waitForURL(/q=/);

    // The facets as the API counts them, shown next to the options.
    const facets = await apiGet(
      page,
      `/api/catalog/selection/facets/?q=${encodeURIComponent(QUERY)}`,
    );
    const cities = Object.fromEntries(facets.origin_city.map((f) => [f.value, f.count]));
    assert.ok(cities[CITY] > 0 && Object.keys(cities).length >= 2, JSON.stringify(cities));
    for (const [city, count] of Object.entries(cities)) {
      await page.waitForFunction(
        ([id, expected]) =>
          document
            .querySelector(`[data-testid="${id}"] [data-testid="facet-count"]`)
            ?.textContent?.trim() === expected,
        [`facet-origin-${city}`, formatCount(count)],
      );
    }
    const search = await apiGet(
      page,
      `/api/catalog/selection/?q=${encodeURIComponent(QUERY)}&page_size=100`,
    );
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('[data-testid="selection-results"] .selection-result').length ===
        n,
      search.results.length,
    );
    assert.ok(new Set(await resultOrigins(page)).size >= 2, 'results from several origins');
    const category = facets.category[0];
    const categoryBefore = await facetCount(page, `facet-category-${category.id}`);
    assert.equal(categoryBefore, formatCount(category.count));
    await page.waitForSelector('[data-testid="no-more"]');
    await screenshot(page, 'selection-search');

    // Filter by origin: only that prefecture remains, and the counts follow.
    await page.click(`[data-testid="facet-origin-${CITY}"]`);
    await page.waitForURL(/origin_city=/);
    await page.waitForFunction((city) => {
      const tags = [
        ...document.querySelectorAll(
          '[data-testid="selection-results"] [data-testid="result-origin"]',
        ),
      ];
      return tags.length > 0 && tags.every((tag) => tag.textContent.includes(city));
    }, CITY);
    const filtered = await apiGet(
      page,
      `/api/catalog/selection/facets/?q=${encodeURIComponent(QUERY)}&origin_city=${encodeURIComponent(CITY)}`,
    );
    const filteredCategory = filtered.category.find((f) => f.id === category.id);
    assert.ok(filteredCategory.count < category.count, 'the filter narrows the category count');
    await page.waitForFunction(
      ([id, expected]) =>
        document
          .querySelector(`[data-testid="${id}"] [data-testid="facet-count"]`)
          ?.textContent?.trim() === expected,
      [`facet-category-${category.id}`, formatCount(filteredCategory.count)],
    );
    assert.equal(
      await page.locator('[data-testid="selection-results"] .selection-result').count(),
      filtered.category.reduce((sum, f) => sum + f.count, 0),
    );
    await screenshot(page, 'selection-filtered');

    // The detail drawer: prices per SKU, no supply price.
    const first = page.locator('[data-testid="selection-results"] .selection-result').first();
    const name = (await first.locator('[data-testid="result-name"]').innerText()).trim();
    await first.click();
    await page.waitForSelector('[data-testid="product-detail"]');
    assert.equal(await textOf(page, 'detail-name'), name);
    assert.ok((await textOf(page, 'detail-origin')).startsWith(CITY));
    const skus = await textOf(page, 'detail-skus');
    assert.ok(skus.includes('¥'), skus);
    assert.ok(!(await textOf(page, 'product-detail')).includes('供货价'));
    assert.ok(new URL(page.url()).searchParams.get('sku'), 'the open product is in the URL');
    await page.waitForTimeout(400); // the drawer's slide-in
    await screenshot(page, 'selection-detail');

    // The link opens the same product.
    await page.goto(page.url());
    await page.waitForSelector('[data-testid="product-detail"]');
    assert.equal(await textOf(page, 'detail-name'), name);
    assert.deepEqual(errors, []);
  });
});
