// Drives the page (GET /) in Debian's chromium through playwright-core, as a
// store owner or an operator would: the newest report opens worst first under
// the fleet summary, a store's week and days, links that survive a reload,
// periods, paging, open incidents, the phone layout, and axe-core on every
// main view.
// Usage: node page_test.cjs BASE_URL MANY_URL ELSEWHERE_URL NODE_MODULES_DIR SCREENSHOT_DIR
// BASE_URL serves fixtures/browser (see its README); MANY_URL a generated set
// of 250 stores, for paging, and lets pages from ELSEWHERE_URL (a plain file
// server on another port) call it (CORS).
"use strict";
const path = require("path");
const assert = require("assert");

const [baseUrl, manyUrl, elsewhere, nodeModules, screenshotDir] = process.argv.slice(2);
const { chromium } = require(path.join(nodeModules, "playwright-core"));
const axePath = path.join(nodeModules, "axe-core", "axe.min.js");

// axe-core on the page as it is now: fails on any serious or critical finding.
async function checkAccessibility(page, what) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepStrictEqual(serious.map((v) => v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")), [],
    "axe findings on " + what);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking"],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  // Waits are for conditions; a busy machine makes them longer, never failed.
  page.setDefaultTimeout(120000);
  const problems = [];
  page.on("pageerror", (error) => problems.push("page error: " + error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push("console error: " + message.text());
  });
  // Nothing but this server: the page must be self-contained.
  page.on("request", (request) => {
    if (![baseUrl, manyUrl, elsewhere].some((allowed) => request.url().startsWith(allowed))) {
      problems.push("request outside the server: " + request.url());
    }
  });
  const rows = () => page.$$eval("#report-table tbody tr", (trs) =>
    trs.map((tr) => Array.from(tr.cells, (td) => td.textContent.trim())));

  // A fresh database: the page says so and opens the form; trigger a report.
  await page.goto(baseUrl + "/");
  await page.waitForFunction(() => document.querySelector("#report-meta").textContent.startsWith("No report yet"));
  assert.ok(await page.locator("#new-report").evaluate((d) => d.open));
  assert.match(await page.textContent("#health"), /^576 polls, the latest 2023-01-25 23:00:00 UTC/);
  await page.click("#trigger");
  await page.waitForSelector("#report-table tbody tr");

  // First load opens the newest report, worst first, under the fleet summary.
  await page.goto(baseUrl + "/");
  await page.waitForSelector("#report-table tbody tr");
  assert.match(page.url(), /#report=[\w-]+$/);
  const reportUrl = page.url();
  const table = await rows();
  assert.deepStrictEqual(table.map((row) => row[0]), ["outage-store", "night-store", "steady-store"]);
  assert.deepStrictEqual(table[0], ["outage-store", "■ Closed, opens in 15 h", "92.9 %", "4 h", "0 min", "0 min"]);
  assert.strictEqual(table[2][1], "▲ Up");
  assert.strictEqual(await page.getAttribute('th[data-key="uptime_percent_week"]', "aria-sort"), "ascending");
  assert.deepStrictEqual(await page.$$eval("#summary .tile", (tiles) => tiles.map((t) => t.textContent)), [
    "97.8 %fleet uptime this week", "0stores down right now", "0stores below 90 % uptime", "1stores at 100 %",
    "3stores reported"]);
  assert.match(await page.textContent("#row-count"), /^Stores 1–3 of 3, sorted by uptime \(week\)\.$/);
  await checkAccessibility(page, "the report view");
  await page.screenshot({ path: path.join(screenshotDir, "page.png"), fullPage: true });

  // With a report as of a week earlier, the summary gives the change.
  const earlier = await page.request.post(baseUrl + "/trigger_report?as_of=2023-01-18T23:00:00Z");
  assert.strictEqual(earlier.status(), 200);
  const earlierId = (await earlier.json()).report_id;
  for (;;) {
    const state = await page.request.get(baseUrl + "/get_report/" + earlierId + "?format=json");
    if ((await state.json()).status !== "Running") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await page.reload();
  await page.waitForFunction(() => (document.querySelector("#summary .tile")?.textContent || "").includes("against the week before"));
  assert.match(await page.textContent("#summary .tile"), /^97\.8 %fleet uptime this week; [▲▼] \d+\.\d points against the week before$/);
  // The newest complete report is still the one opened: the address says which.
  assert.strictEqual(page.url(), reportUrl);

  // A server that stops answering is said so in the header.
  await page.route("**/healthz", (route) => route.abort());
  await page.evaluate(() => checkHealth());
  assert.match(await page.textContent("#health"), /^Server unavailable: the server cannot be reached/);
  await page.unroute("**/healthz");
  // The refused request itself is the one console error that is expected.
  const refused = problems.findIndex((p) => p.includes("net::ERR_FAILED"));
  assert.ok(refused >= 0);
  problems.splice(refused, 1);

  // Sort by downtime this week (a header button): most first, then the other way.
  await page.click('th[data-key="downtime_last_week"] button');
  assert.strictEqual(await page.getAttribute('th[data-key="downtime_last_week"]', "aria-sort"), "descending");
  assert.deepStrictEqual((await rows()).map((row) => row[3]), ["4 h", "1 h", "0 min"]);
  await page.click('th[data-key="downtime_last_week"] button');
  assert.deepStrictEqual((await rows()).map((row) => row[3]), ["0 min", "1 h", "4 h"]);
  assert.match(page.url(), /sort=downtime_last_week&dir=asc/);

  // Filter by store id; no match is said in words.
  await page.fill("#filter", "night");
  assert.deepStrictEqual((await rows()).map((row) => row[0]), ["night-store"]);
  await page.fill("#filter", "zzz");
  assert.deepStrictEqual(await rows(), [["No store id contains “zzz”."]]);
  await page.fill("#filter", "");

  // The CSV link downloads the same report.
  const href = await page.getAttribute("#download", "href");
  const csv = await (await page.request.get(baseUrl + href)).text();
  assert.strictEqual(csv.trim().split("\n").length, 4, csv);
  assert.match(csv, /^outage-store,0\.00,8\.00,52\.00,0\.00,0\.00,4\.00$/m);

  // Open the store with known outages: focus on its heading, its status now,
  // three striped down segments, outages in local time.
  await page.click("text=outage-store");
  await page.waitForSelector("#store-section:not([hidden]) #timeline .segment");
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), "store-title");
  assert.strictEqual(await page.textContent("#store-id"), "outage-store");
  assert.strictEqual(await page.textContent("#store-now"),
    "■ Closed since Wed 25 Jan 17:00 EST; opens Thu 26 Jan 09:00 EST");
  assert.match(await page.textContent("#store-meta"), /America\/New_York \(EST, UTC-05:00\)/);
  assert.strictEqual(await page.locator("#timeline .segment.down").count(), 3);
  assert.strictEqual(await page.locator("#timeline .segment.up").count(), 10);
  assert.strictEqual(await page.locator("#timeline .gridline").count(), 28);
  assert.deepStrictEqual(await page.$$eval("#outages tbody tr", (trs) => trs.map((tr) => tr.textContent)),
    ["Fri 20 Jan 11:30Fri 20 Jan 12:301 h", "Sun 22 Jan 11:30Sun 22 Jan 12:301 h", "Tue 24 Jan 11:30Tue 24 Jan 13:302 h"]);
  assert.deepStrictEqual(await page.$$eval("#axis .tick", (ticks) => ticks.map((t) => t.textContent)),
    ["Thu 19", "Fri 20", "Sat 21", "Sun 22", "Mon 23", "Tue 24", "Wed 25"]);
  assert.deepStrictEqual(await page.$$eval("#figures tbody tr", (trs) => trs.map((tr) => tr.textContent)),
    ["Last hourclosed the whole time", "Last 24 h8 h0 min8 h100.0 %", "Last week52 h4 h56 h92.9 %"]);
  assert.deepStrictEqual(await page.$$eval("#hours tr", (trs) => trs.map((tr) => tr.textContent)).then((t) => t[0]),
    "Monday09:00 – 17:00");
  // A segment's width follows its length: the 2-hour outage is 2/168 of the week.
  const widths = await page.$$eval("#timeline .segment.down", (divs) =>
    divs.map((div) => div.getBoundingClientRect().width / div.parentElement.getBoundingClientRect().width));
  assert.ok(Math.abs(widths[2] - 2 / 168) < 1e-3, "outage width " + widths[2]);
  // The tooltip comes on keyboard focus too; an outage clicked is highlighted.
  await page.locator("#timeline .segment.down").nth(2).focus();
  assert.strictEqual(await page.textContent("#tooltip"), "down: Tue 24 Jan 11:30 – Tue 24 Jan 13:30 (2 h)");
  await page.click("#outages tbody tr:nth-child(3) button");
  assert.strictEqual(await page.locator("#timeline .highlight").count(), 1);
  await checkAccessibility(page, "the store view");

  // The view is in the address: a reload brings the same store back; Back leaves it.
  assert.match(page.url(), /store=outage-store/);
  const storeUrl = page.url();
  await page.goto("about:blank");
  await page.goto(storeUrl);
  await page.waitForFunction(() => document.querySelector("#store-id").textContent === "outage-store" &&
    !document.querySelector("#store-section").hidden);
  assert.deepStrictEqual((await rows()).map((row) => row[3]), ["0 min", "1 h", "4 h"]);  // the sort kept too
  await page.goBack();
  await page.goForward();
  await page.waitForFunction(() => !document.querySelector("#store-section").hidden);

  // Max gap 30m on the store view: an hourly poll speaks for 15 minutes on
  // each side, so half of each open hour is unknown, drawn striped; uptime
  // counts known time only (26 h up of 28 h known).
  await page.selectOption("#store-max-gap", "30m");
  await page.waitForSelector("#timeline .segment.unknown");
  assert.ok(await page.locator("#timeline .segment.unknown").count() > 50);
  assert.deepStrictEqual(await page.$$eval("#figures tbody tr", (trs) => trs.map((tr) => tr.textContent)),
    ["Last hourclosed the whole time", "Last 24 h4 h0 min4 h8 h100.0 %50.0 %",
     "Last week26 h2 h28 h56 h92.9 %50.0 %"]);
  // Outages are what was seen down: the 2-hour one is two half hours with a
  // stretch nobody saw between them.
  assert.deepStrictEqual(await page.$$eval("#outages tbody tr td:last-child", (tds) => tds.map((td) => td.textContent)),
    ["30 min", "30 min", "30 min", "30 min"]);
  assert.match(page.url(), /gap=30m/);
  await page.screenshot({ path: path.join(screenshotDir, "page-max-gap.png"), fullPage: true });
  await page.selectOption("#store-max-gap", "none");
  await page.waitForFunction(() => !document.querySelector("#timeline .segment.unknown"));

  // A special date: steady-store (open 24×7) is closed on Sunday 2023-01-22.
  await page.click("text=steady-store");
  await page.waitForFunction(() => document.querySelector("#store-id").textContent === "steady-store");
  assert.deepStrictEqual(await page.$$eval("#axis .tick.special", (ticks) => ticks.map((t) => t.textContent)),
    ["Sun 22 ★"]);
  assert.deepStrictEqual(await page.$$eval("#hours tr", (trs) => trs.map((tr) => tr.textContent)),
    ["Every dayopen 24 h", "★ Sun 2023-01-22 (special)closed"]);
  assert.strictEqual(await page.locator("#timeline .segment.closed").count(), 1);
  assert.strictEqual(await page.locator("#timeline .segment.down").count(), 0);
  assert.strictEqual(await page.textContent("#store-now"), "▲ Up since Mon 23 Jan 00:00 CST (65 h)");

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
  await page.click("#new-report summary");
  await page.selectOption("#period", "7");
  assert.strictEqual(await page.inputValue("#from-date"), "2023-01-18");
  assert.strictEqual(await page.inputValue("#to-date"), "2023-01-24");
  await page.click("#trigger");
  await page.waitForFunction(() => document.querySelector("#report-meta").textContent.includes("2023-01-18 to 2023-01-24"));
  assert.deepStrictEqual(await page.$$eval("#report-table thead th", (ths) => ths.map((th) => th.textContent)),
    ["Store", "Uptime", "Down", "Up", "Open"]);
  assert.deepStrictEqual(await rows(), [
    ["outage-store", "92.9 %", "4 h", "52 h", "56 h"],
    // Tokyo: the first poll is 09:00 on the 18th, so the period starts there
    // (rules §7) and the 17th's night (its last 2 h on the 18th) is not in it.
    ["night-store", "96.2 %", "1 h", "25 h", "26 h"],
    ["steady-store", "100.0 %", "0 min", "144 h", "144 h"]]);
  await page.click('th[data-key="uptime_percent"] button');
  assert.deepStrictEqual((await rows()).map((row) => row[0]), ["steady-store", "night-store", "outage-store"]);
  await page.click("text=outage-store");
  await page.waitForFunction(() => document.querySelector("#days-note").textContent.includes("2023-01-18"));
  assert.strictEqual(await page.locator("#days .day").count(), 7);
  assert.strictEqual(await page.locator("#days .day .stack .down").count(), 3);
  await page.locator("#days .day").nth(6).click();
  assert.strictEqual(await page.textContent("#day-detail"),
    "Tue 2023-01-24: 8 h open, 6 h up, 2 h down, 75.0 % up of known time");
  await page.screenshot({ path: path.join(screenshotDir, "page-period.png"), fullPage: true });

  // Paging on 250 stores: 100 a page, the header in view, the page in the address.
  await page.goto(manyUrl + "/");
  await page.waitForFunction(() => document.querySelector("#report-meta").textContent.startsWith("No report yet"));
  await page.click("#trigger");
  await page.waitForSelector("#report-table tbody tr");
  assert.strictEqual(await page.locator("#report-table tbody tr").count(), 100);
  assert.strictEqual(await page.textContent("#page-text"), "Page 1 of 3");
  await page.click("#next-page");
  await page.click("#next-page");
  assert.strictEqual(await page.locator("#report-table tbody tr").count(), 50);
  assert.match(await page.textContent("#row-count"), /^Stores 201–250 of 250/);
  assert.match(page.url(), /page=3/);
  const lastPageFirst = (await rows())[0][0];
  await page.reload();
  await page.waitForSelector("#report-table tbody tr");
  assert.strictEqual((await rows())[0][0], lastPageFirst);
  assert.ok(await page.isDisabled("#next-page"));
  await page.click("#previous-page");
  assert.strictEqual(await page.textContent("#page-text"), "Page 2 of 3");
  // Scrolled inside its box, the table keeps its header in view.
  await page.locator(".table-box").evaluate((box) => { box.scrollTop = 1500; });
  const headerTop = await page.$eval("#report-table thead th", (th) => th.getBoundingClientRect().top);
  const boxTop = await page.$eval(".table-box", (box) => box.getBoundingClientRect().top);
  assert.ok(Math.abs(headerTop - boxTop) < 2, "header at " + headerTop + ", box at " + boxTop);

  // An open incident: a store with no hours (open all week) goes down now.
  // The page lists it first, and its own view says so.
  await page.evaluate(async (base) => {
    const minuteAgo = new Date(Date.now() - 60000).toISOString().slice(0, 19).replace("T", " ");
    const answer = await fetch(base + "/ingest/status", { method: "POST", headers: { "Content-Type": "text/csv" },
      body: "store_id,status,timestamp_utc\nkitchen-9,inactive," + minuteAgo + "\n" });
    if (!answer.ok) throw new Error(await answer.text());
  }, manyUrl);
  await page.reload();
  await page.waitForSelector("#incidents li");
  assert.match(await page.textContent("#incidents"), /^▼ kitchen-9: down since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d+ min\)Open$/);
  await checkAccessibility(page, "the open incidents");
  await page.click("#incidents li button");
  await page.waitForFunction(() => !document.querySelector("#store-incident").hidden);
  assert.match(await page.textContent("#store-incident"), /^Open incident: down since .*; it ends with the next active poll$/);
  assert.match(page.url(), /store=kitchen-9/);

  // CORS: a dashboard on another origin triggers a report and reads its CSV
  // from the server that allows it (a JSON POST: preflight first), and is
  // blocked by the one that does not.
  await page.goto(elsewhere + "/");
  const fromElsewhere = await page.evaluate(async ([allowing, refusing]) => {
    const options = { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" };
    const { report_id } = await (await fetch(allowing + "/trigger_report", options)).json();
    let csv = "";
    while (!csv.startsWith("store_id")) {
      csv = await (await fetch(allowing + "/get_report/" + report_id)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    let blocked = false;
    try {
      await fetch(refusing + "/trigger_report", options);
    } catch (error) {
      blocked = true;
    }
    return { header: csv.split("\n")[0], blocked };
  }, [manyUrl, baseUrl]);
  assert.deepStrictEqual(fromElsewhere, {
    header: "store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,downtime_last_day,downtime_last_week",
    blocked: true });
  // The browser's own report of the refusal is the console error expected here.
  for (let i = problems.length - 1; i >= 0; i--) {
    if (/CORS policy|net::ERR_FAILED/.test(problems[i])) problems.splice(i, 1);
  }

  // A phone: nothing wider than the screen; rows are cards with their status.
  await page.goto(reportUrl);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForSelector("#report-table tbody tr");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, "page is " + overflow + " px wider than a phone screen");
  const cards = await page.$$eval("#report-table tbody tr", (trs) => trs.map((tr) => {
    const box = tr.getBoundingClientRect();
    const now = Array.from(tr.cells).find((td) => td.dataset.label === "Now");
    return { right: box.right, height: box.height, now: now && now.textContent };
  }));
  for (const card of cards) {
    assert.ok(card.right <= 390 && card.height >= 44, JSON.stringify(card));
    assert.match(card.now, /^(▲ Up|▼ Down|■ Closed|\? Unknown)/);
  }
  await page.locator("#report-table tbody tr").first().click();
  await page.waitForSelector("#store-section:not([hidden])");
  const storeOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(storeOverflow <= 0, "store view is " + storeOverflow + " px wider than a phone screen");
  await checkAccessibility(page, "the phone layout");
  await page.screenshot({ path: path.join(screenshotDir, "page-phone.png"), fullPage: true });

  // An owner's link: the token moves out of the address into storage, and
  // the page holds only the owner's store, in every view.
  await page.setViewportSize({ width: 1366, height: 900 });
  const created = await page.request.post(baseUrl + "/admin/tokens",
    { data: { name: "owner-link", role: "owner", stores: ["outage-store"] } });
  assert.strictEqual(created.status(), 200);
  const secret = (await created.json()).secret;
  await page.goto(baseUrl + "/#token=" + encodeURIComponent(secret));
  await page.waitForSelector("#report-table tbody tr");
  assert.ok(!page.url().includes(secret), "the token stays in the address: " + page.url());
  assert.strictEqual(await page.evaluate(() => localStorage.getItem("uptime-token")), secret);
  assert.deepStrictEqual((await rows()).map((row) => row[0]), ["outage-store"]);
  assert.match(await page.textContent("#summary"), /1stores reported/);
  const pageData = await page.evaluate(() => JSON.stringify(state));
  for (const other of ["night-store", "steady-store"]) assert.ok(!pageData.includes(other), other + " leaked into the page");
  await page.evaluate(() => localStorage.removeItem("uptime-token"));

  // Dark mode follows the system.
  await page.emulateMedia({ colorScheme: "dark" });
  assert.strictEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(17, 20, 24)");
  await checkAccessibility(page, "dark mode");

  assert.deepStrictEqual(problems, []);
  await browser.close();
}

main().then(
  () => console.log("browser test passed; screenshots in " + screenshotDir),
  (error) => {
    console.error("FAIL: " + (error.stack || error));
    process.exit(1);
  });
