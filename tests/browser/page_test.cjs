// Drives the page (GET /) in Debian's chromium through playwright-core, as a
// store owner would: trigger a report, sort, filter, open a store's week.
// Usage: node page_test.cjs BASE_URL NODE_MODULES_DIR SCREENSHOT_DIR
// Expects the server to hold fixtures/browser (see its README).
"use strict";
const path = require("path");
const assert = require("assert");

const [baseUrl, nodeModules, screenshotDir] = process.argv.slice(2);
const { chromium } = require(path.join(nodeModules, "playwright-core"));

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking"],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = [];
  page.on("pageerror", (error) => problems.push("page error: " + error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push("console error: " + message.text());
  });
  // Nothing but this server: the page must be self-contained.
  page.on("request", (request) => {
    if (!request.url().startsWith(baseUrl)) problems.push("request outside the server: " + request.url());
  });

  await page.goto(baseUrl + "/");
  await page.waitForSelector("#reports tbody tr");
  assert.match(await page.textContent("#health"), /^576 polls/);

  // Trigger a report from the page and wait for its table.
  await page.click("#trigger");
  await page.waitForSelector("#report-table tbody tr");
  const rows = () => page.$$eval("#report-table tbody tr", (trs) =>
    trs.map((tr) => Array.from(tr.cells, (td) => td.textContent.trim())));
  let table = await rows();
  assert.deepStrictEqual(table.map((row) => row[0]), ["night-store", "outage-store", "steady-store"]);
  // The new report is in the list, and can be opened from it.
  await page.waitForSelector("#reports tbody tr button:not([disabled])");
  assert.match(await page.textContent("#reports tbody tr"), /Complete/);

  // Sort by downtime over the week: worst first, then the other way.
  await page.click('th[data-key="downtime_last_week"]');
  table = await rows();
  assert.strictEqual(await page.getAttribute('th[data-key="downtime_last_week"]', "aria-sort"), "descending");
  assert.deepStrictEqual(table.map((row) => row[4]), ["4.00", "1.00", "0.00"]);
  assert.deepStrictEqual(table[0], ["outage-store", "92.9", "0.00", "0.00", "4.00"]);
  await page.click('th[data-key="downtime_last_week"]');
  assert.deepStrictEqual((await rows()).map((row) => row[4]), ["0.00", "1.00", "4.00"]);

  // Filter by store id.
  await page.fill("#filter", "night");
  assert.deepStrictEqual((await rows()).map((row) => row[0]), ["night-store"]);
  await page.fill("#filter", "");

  // The CSV link downloads the same report.
  const href = await page.getAttribute("#download", "href");
  const csv = await (await page.request.get(baseUrl + href)).text();
  assert.strictEqual(csv.trim().split("\n").length, 4, csv);
  assert.match(csv, /^outage-store,0\.00,8\.00,52\.00,0\.00,0\.00,4\.00$/m);

  // Open the store with known outages: three down segments on its timeline.
  await page.click("text=outage-store");
  await page.waitForSelector("#store-section:not([hidden]) #timeline .segment");
  assert.strictEqual(await page.textContent("#store-id"), "outage-store");
  assert.strictEqual(await page.locator("#timeline .segment.down").count(), 3);
  assert.strictEqual(await page.locator("#timeline .segment.up").count(), 10);
  assert.strictEqual(await page.locator("#outages tbody tr").count(), 3);
  assert.deepStrictEqual(await page.$$eval("#outages tbody tr td:last-child", (tds) => tds.map((td) => td.textContent)),
    ["1 h 00 min", "1 h 00 min", "2 h 00 min"]);
  assert.match(await page.textContent("#outages tbody tr"), /2023-01-20 11:30/);  // local time, New York
  assert.deepStrictEqual(await page.$$eval("#axis .tick", (ticks) => ticks.map((t) => t.textContent)),
    ["Thu 19", "Fri 20", "Sat 21", "Sun 22", "Mon 23", "Tue 24", "Wed 25"]);
  assert.deepStrictEqual(await page.$$eval("#figures tbody tr", (trs) => trs.map((tr) => tr.textContent)),
    ["Last hour0.00 min0.00 min0.00 min–", "Last day8.00 h0.00 h8.00 h100.00", "Last week52.00 h4.00 h56.00 h92.86"]);
  // A segment's width follows its length: the 2-hour outage is 2/168 of the week.
  const widths = await page.$$eval("#timeline .segment.down", (divs) =>
    divs.map((div) => div.getBoundingClientRect().width / div.parentElement.getBoundingClientRect().width));
  assert.ok(Math.abs(widths[2] - 2 / 168) < 1e-3, "outage width " + widths[2]);

  // Max gap 30m on the store view: an hourly poll speaks for 15 minutes on
  // each side, so half of each open hour is unknown, drawn striped; the
  // uptime percent counts known time only (26 h up of 28 h known).
  await page.selectOption("#store-max-gap", "30m");
  await page.waitForSelector("#timeline .segment.unknown");
  assert.ok(await page.locator("#timeline .segment.unknown").count() > 50);
  assert.deepStrictEqual(await page.$$eval("#figures tbody tr", (trs) => trs.map((tr) => tr.textContent)),
    ["Last hour0.00 min0.00 min0.00 min0.00 min––", "Last day4.00 h0.00 h4.00 h8.00 h100.0050.00",
     "Last week26.00 h2.00 h28.00 h56.00 h92.8650.00"]);
  // Outages are what was seen down: the 2-hour one is two half hours with a
  // stretch nobody saw between them.
  assert.deepStrictEqual(await page.$$eval("#outages tbody tr td:last-child", (tds) => tds.map((td) => td.textContent)),
    ["30 min", "30 min", "30 min", "30 min"]);
  await page.screenshot({ path: path.join(screenshotDir, "page-max-gap.png"), fullPage: true });
  await page.selectOption("#store-max-gap", "none");
  await page.waitForFunction(() => !document.querySelector("#timeline .segment.unknown"));
  await page.screenshot({ path: path.join(screenshotDir, "page.png"), fullPage: true });

  // A special date: steady-store (open 24×7) is closed on Sunday 2023-01-22.
  await page.click("text=steady-store");
  await page.waitForFunction(() => document.querySelector("#store-id").textContent === "steady-store");
  assert.deepStrictEqual(await page.$$eval("#axis .tick.special", (ticks) => ticks.map((t) => t.textContent)),
    ["Sun 22 ★"]);
  assert.deepStrictEqual(await page.$$eval("#hours tr.special", (trs) => trs.map((tr) => tr.textContent)),
    ["★ Sun 2023-01-22 (special)closed"]);
  assert.strictEqual(await page.locator("#timeline .segment.closed").count(), 1);
  assert.strictEqual(await page.locator("#timeline .segment.down").count(), 0);

  // Day by day: the 30 local dates ending with today in the store's zone
  // (Chicago: still the 25th), the closed special date marked and empty.
  assert.strictEqual(await page.locator("#days .day").count(), 30);
  assert.strictEqual(await page.textContent("#days-note"), "(2022-12-27 to 2023-01-25, local dates)");
  const special = page.locator("#days .day.special");
  assert.strictEqual(await special.count(), 1);
  assert.strictEqual(await special.locator(".day-label").textContent(), "22★");
  assert.strictEqual(await special.locator(".stack > div").count(), 0);
  await special.click();
  assert.strictEqual(await page.textContent("#day-detail"), "Sun 2023-01-22 (special date): closed");

  // A period report: the last 7 days (local dates 01-18 to 01-24 for every
  // store), its own columns, sortable, and the store's days are those dates.
  await page.selectOption("#period", "7");
  assert.strictEqual(await page.inputValue("#from-date"), "2023-01-18");
  assert.strictEqual(await page.inputValue("#to-date"), "2023-01-24");
  await page.click("#trigger");
  await page.waitForFunction(() => document.querySelector("#report-meta").textContent.includes("2023-01-18 to 2023-01-24"));
  assert.deepStrictEqual(await page.$$eval("#report-table thead th", (ths) => ths.map((th) => th.textContent)),
    ["Store", "Uptime %", "Open (h)", "Up (h)", "Down (h)"]);
  await page.click('th[data-key="uptime_percent"]');
  assert.deepStrictEqual(await rows(), [
    ["outage-store", "92.86", "56.00", "52.00", "4.00"],
    ["night-store", "96.43", "28.00", "27.00", "1.00"],
    ["steady-store", "100.00", "144.00", "144.00", "0.00"]]);
  await page.click("text=outage-store");
  await page.waitForFunction(() => document.querySelector("#days-note").textContent.includes("2023-01-18"));
  assert.strictEqual(await page.locator("#days .day").count(), 7);
  assert.strictEqual(await page.locator("#days .day .stack .down").count(), 3);
  await page.locator("#days .day").nth(6).click();
  assert.strictEqual(await page.textContent("#day-detail"),
    "Tue 2023-01-24: 8.00 h open, 6.00 h up, 2.00 h down, 75.00 % up of known time");
  await page.screenshot({ path: path.join(screenshotDir, "page-period.png"), fullPage: true });

  // Readable at phone width: nothing wider than the screen but the scrolling tables.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, "page is " + overflow + " px wider than a phone screen");
  await page.screenshot({ path: path.join(screenshotDir, "page-phone.png"), fullPage: true });

  assert.deepStrictEqual(problems, []);
  await browser.close();
}

main().then(
  () => console.log("browser test passed; screenshots in " + screenshotDir),
  (error) => {
    console.error("FAIL: " + (error.stack || error));
    process.exit(1);
  });
