// Drives the page (GET /) in Debian's chromium through playwright-core, as an
// operator, a store owner and someone following an alert's link would: the
// live home (status line, stores down now, stores worst first from the server, a
// page at a time), a store's own view (links land on it), only measured
// history, custom reports that never become the landing view, downloads that
// carry the token, owner mode, the phone store view, keyboard use, and
// axe-core on every main view in light and dark, desktop and phone.
// Usage: node page_test.cjs BASE_URL MANY_URL ELSEWHERE_URL NODE_MODULES_DIR SCREENSHOT_DIR
// BASE_URL serves fixtures/browser (see its README; not live: its polls are
// from 2023); MANY_URL a generated, live set of 250 stores, and lets pages
// from ELSEWHERE_URL (a plain file server on another port) call it (CORS).
"use strict";
const fs = require("fs");
const path = require("path");
const assert = require("assert");

const [baseUrl, manyUrl, elsewhere, nodeModules, screenshotDir] = process.argv.slice(2);
const { chromium } = require(path.join(nodeModules, "playwright-core"));
const axePath = path.join(nodeModules, "axe-core", "axe.min.js");
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

// axe-core on the page as it is now, light and dark: fails on any serious or
// critical finding.
async function checkAccessibility(page, what) {
  for (const colorScheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme });
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: axePath });
    const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepStrictEqual(serious.map((v) => v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")), [],
      "axe findings on " + what + " (" + colorScheme + ")");
  }
  await page.emulateMedia({ colorScheme: "light" });
}

// The heading of the store view has focus and is on screen.
async function expectLandedOnStore(page, heading) {
  await page.waitForFunction((text) => document.activeElement && document.activeElement.id === "store-title" &&
    (text === null || document.querySelector("#store-heading").textContent === text), heading);
  const box = await page.$eval("#store-title", (h) => { const r = h.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; });
  const height = page.viewportSize().height;
  assert.ok(box.top >= 0 && box.bottom <= height, "store heading out of view: " + JSON.stringify(box));
  assert.ok(await page.locator("#home-view").isHidden());
}

async function wider(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking"],
  });
  const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
  const page = await context.newPage();
  // Waits are for conditions; a busy machine makes them longer, never failed.
  page.setDefaultTimeout(120000);
  const problems = [];
  const watch = (p) => {
    p.on("pageerror", (error) => problems.push("page error: " + error.message));
    p.on("console", (message) => {
      if (message.type() === "error") problems.push("console error: " + message.text());
    });
    // Nothing but these servers: the page must be self-contained.
    p.on("request", (request) => {
      if (![baseUrl, manyUrl, elsewhere].some((allowed) => request.url().startsWith(allowed)) && !request.url().startsWith("blob:")) {
        problems.push("request outside the server: " + request.url());
      }
    });
  };
  watch(page);
  const rows = (table = "#store-table") => page.$$eval(table + " tbody tr", (trs) =>
    trs.map((tr) => Array.from(tr.cells, (td) => td.textContent.trim())));

  // --- The home: status line, tiles, stores worst first from the standard report.
  await page.goto(baseUrl + "/");
  await page.waitForFunction(() => document.querySelector("#stores-meta").textContent.includes("from the standard report as of"));
  assert.strictEqual(await page.textContent("#status-text"),
    "Not live: the newest poll is from 2023-01-25 23:00 UTC · 0 stores down then");
  assert.match(await page.textContent("#status-age"), /^· updated \d+ s ago$/);
  assert.deepStrictEqual(await rows(), [
    ["outage-store", "■ Closed since Wed 25 Jan 17:00", "92.9 %", "4 h"],
    ["night-store", "■ Closed since Thu 26 Jan 02:00", "96.4 %", "1 h"],
    ["steady-store", "▲ Up since Tue 17 Jan 18:00", "100.0 %", "0 min"]]);
  assert.strictEqual(await page.getAttribute('th[data-key="uptime_percent"]', "aria-sort"), "ascending");
  // This week is covered, the week before is not: no trend.
  assert.deepStrictEqual(await page.$$eval("#summary .tile", (tiles) => tiles.map((t) => t.textContent)),
    ["97.8 %uptime this week", "0down now", "1up now", "2closed now"]);
  assert.strictEqual(await page.textContent("#down-note"), "None: no store is down now.");
  await checkAccessibility(page, "the home");
  await page.screenshot({ path: path.join(screenshotDir, "page.png"), fullPage: true });

  // A skip link leads past the header to the stores.
  await page.keyboard.press("Tab");
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), "skip-link");
  await page.keyboard.press("Enter");
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), "stores-title");
  await page.keyboard.press("Tab");
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), "filter");

  // A server that stops answering is said so in the status line.
  await page.route("**/fleet", (route) => route.abort());
  await page.evaluate(() => refreshLive());
  assert.match(await page.textContent("#status-text"), /^Server unavailable: the server cannot be reached/);
  await page.unroute("**/fleet");
  await page.evaluate(() => refreshLive());
  assert.match(await page.textContent("#status-text"), /^Not live/);
  // The refused request itself is the one console error that is expected.
  const refused = problems.findIndex((p) => p.includes("net::ERR_FAILED"));
  assert.ok(refused >= 0);
  problems.splice(refused, 1);

  // Sort on the server: by downtime (most first), then the other way; the
  // address keeps it.
  await page.click('th[data-key="downtime_last_week"] button');
  await page.waitForFunction(() => document.querySelector('th[data-key="downtime_last_week"]').getAttribute("aria-sort") === "descending");
  assert.deepStrictEqual((await rows()).map((row) => row[3]), ["4 h", "1 h", "0 min"]);
  await page.click('th[data-key="downtime_last_week"] button');
  await page.waitForFunction(() => document.querySelector('th[data-key="downtime_last_week"]').getAttribute("aria-sort") === "ascending");
  assert.deepStrictEqual((await rows()).map((row) => row[3]), ["0 min", "1 h", "4 h"]);
  assert.match(page.url(), /sort=downtime_last_week&order=asc/);
  // Filter on the server; no match is said in words; the state filter too.
  const waitForStores = (ids) => page.waitForFunction((wanted) => JSON.stringify(Array.from(
    document.querySelectorAll("#store-table tbody tr"), (tr) => tr.cells[0].textContent)) === wanted, JSON.stringify(ids));
  await page.fill("#filter", "night");
  await waitForStores(["night-store"]);
  await page.fill("#filter", "zzz");
  await page.waitForFunction(() => document.querySelector("#store-table tbody").textContent.startsWith("No store"));
  assert.deepStrictEqual(await rows(), [["No store name or id contains “zzz”."]]);
  await page.fill("#filter", "");
  await page.selectOption("#state-filter", "up");
  await waitForStores(["steady-store"]);
  assert.match(page.url(), /state=up/);
  await page.selectOption("#state-filter", "");
  await waitForStores(["steady-store", "night-store", "outage-store"]);

  // --- A store: its own view at the top, heading focused; Back returns.
  await page.click("text=outage-store");
  await expectLandedOnStore(page, "Store outage-store");
  assert.match(page.url(), /store=outage-store/);
  assert.strictEqual(await page.textContent("#store-headline"),
    "This week the store was offline 3 times during opening hours: 4 h (92.9 % online).");
  assert.strictEqual(await page.textContent("#store-now"),
    "Right now: closed; opens Thu 26 Jan 09:00. The newest poll is from 2023-01-25 23:00 UTC: nothing newer has arrived.");
  assert.match(await page.textContent("#store-meta"), /America\/New_York \(EST, UTC-05:00\)/);
  assert.deepStrictEqual(await page.$$eval("#figures .figure", (cards) => cards.map((c) => c.textContent)),
    ["This week92.9 % onlineoffline 4 h of 56 h open", "Last 24 hours100.0 % onlineoffline 0 min of 8 h open",
     "Last hour–closed the whole time"]);
  assert.strictEqual(await page.locator("#timeline .segment.down").count(), 3);
  assert.strictEqual(await page.locator("#timeline .segment.up").count(), 10);
  assert.strictEqual(await page.locator("#timeline .gridline").count(), 28);
  assert.deepStrictEqual(await page.$$eval("#outages button", (buttons) => buttons.map((b) => b.textContent)),
    ["Fri 20 Jan 11:30 – 12:30 · 1 h", "Sun 22 Jan 11:30 – 12:30 · 1 h", "Tue 24 Jan 11:30 – 13:30 · 2 h"]);
  assert.deepStrictEqual(await page.$$eval("#axis .tick", (ticks) => ticks.map((t) => t.textContent)),
    ["Thu 19", "Fri 20", "Sat 21", "Sun 22", "Mon 23", "Tue 24", "Wed 25"]);
  assert.strictEqual((await page.$$eval("#hours tr", (trs) => trs.map((tr) => tr.textContent)))[0], "Monday09:00 – 17:00");
  // A segment's width follows its length: the 2-hour outage is 2/168 of the week.
  const widths = await page.$$eval("#timeline .segment.down", (divs) =>
    divs.map((div) => div.getBoundingClientRect().width / div.parentElement.getBoundingClientRect().width));
  assert.ok(Math.abs(widths[2] - 2 / 168) < 1e-3, "outage width " + widths[2]);
  // The timeline is one Tab stop; arrow keys move along it, the tooltip
  // follows, Escape closes it. An outage chosen is highlighted.
  assert.strictEqual(await page.locator('#timeline .segment[tabindex="0"]').count(), 1);
  await page.locator("#timeline .segment.down").nth(2).focus();
  assert.strictEqual(await page.textContent("#tooltip"), "offline: Tue 24 Jan 11:30 – Tue 24 Jan 13:30 (2 h)");
  await page.keyboard.press("ArrowRight");
  assert.strictEqual(await page.textContent("#tooltip"), "online: Tue 24 Jan 13:30 – Tue 24 Jan 17:00 (3 h 30 min)");
  await page.keyboard.press("Escape");
  assert.ok(await page.locator("#tooltip").isHidden());
  await page.click("#outages li:nth-child(3) button");
  assert.strictEqual(await page.locator("#timeline .highlight").count(), 1);

  // Only measured history: the first poll is 2023-01-18 00:00 UTC (the 17th
  // in New York): every date before is "no data", with no figures.
  assert.strictEqual(await page.textContent("#days-note"), "(2022-12-27 to 2023-01-25, local dates; data since 17 Jan)");
  const days = await page.$$eval("#days .day", (buttons) => buttons.map((b) => ({
    label: b.querySelector(".sr-only").textContent.slice(2), noData: b.classList.contains("no-data"), parts: b.querySelectorAll(".stack > div").length })));
  assert.strictEqual(days.length, 30);
  const before = days.filter((d) => /^\w{3} (2022-|2023-01-(0\d|1[0-6]))/.test(d.label));
  assert.strictEqual(before.length, 21);
  for (const day of before) {
    assert.ok(day.noData && day.parts === 0 && day.label.endsWith(": no data (before the store's first poll)"), JSON.stringify(day));
  }
  assert.ok(days.slice(21).every((d) => !d.noData));
  // The days are one Tab stop too: End, Home and arrows; a day chosen says its figures.
  assert.strictEqual(await page.locator('#days .day[tabindex="0"]').count(), 1);
  await page.locator("#days .day").nth(29).focus();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Enter");
  assert.strictEqual(await page.textContent("#day-detail"), "Tue 2023-01-24: 8 h open, 6 h online, 2 h offline, 75.0 % online");
  await checkAccessibility(page, "the store view");
  await page.screenshot({ path: path.join(screenshotDir, "page-store.png"), fullPage: true });

  // The store's own CSVs.
  const [daysFile] = await Promise.all([page.waitForEvent("download"), page.click("#download-days")]);
  const daysCsv = fs.readFileSync(await daysFile.path(), "utf8").trim().split("\n");
  assert.strictEqual(daysCsv[0], "store_id,date,weekday,special,no_data,open_hours,online_hours,offline_hours,unknown_hours,online_percent");
  assert.strictEqual(daysCsv[1], "outage-store,2022-12-27,Tue,false,true,,,,,");
  assert.strictEqual(daysCsv[29], "outage-store,2023-01-24,Tue,false,false,8,6,2,,75");
  const [outagesFile] = await Promise.all([page.waitForEvent("download"), page.click("#download-outages")]);
  assert.strictEqual(fs.readFileSync(await outagesFile.path(), "utf8").trim().split("\n")[3],
    "outage-store,2023-01-24T16:30:00.000000Z,2023-01-24T18:30:00.000000Z,2023-01-24T11:30:00-05:00,2023-01-24T13:30:00-05:00,120.0");

  // Unknown beyond a gap, in plain words: an hourly poll speaks for 15 minutes
  // on each side, so half of each open hour is not measured.
  await page.selectOption("#store-max-gap", "30m");
  await page.waitForSelector("#timeline .segment.unknown");
  assert.ok(await page.locator("#timeline .segment.unknown").count() > 50);
  assert.strictEqual(await page.textContent("#figures .figure"), "This week92.9 % onlineoffline 2 h of 56 h open; 28 h not measured");
  assert.match(page.url(), /gap=30m/);
  await page.screenshot({ path: path.join(screenshotDir, "page-store-gap.png"), fullPage: true });

  // The view is in the address: a reload lands on the same store; Back
  // returns to the list, sorted as it was.
  const storeUrl = page.url();
  await page.goto("about:blank");
  await page.goto(storeUrl);
  await expectLandedOnStore(page, "Store outage-store");
  assert.strictEqual(await page.inputValue("#store-max-gap"), "30m");
  await page.click("#store-back");
  await page.waitForSelector("#home-view:not([hidden]) #store-table tbody tr");
  assert.deepStrictEqual((await rows()).map((row) => row[3]), ["0 min", "1 h", "4 h"]);  // the sort kept

  // A special date: steady-store (open 24×7) is closed on Sunday 2023-01-22.
  await page.click("text=steady-store");
  await expectLandedOnStore(page, "Store steady-store");
  assert.deepStrictEqual(await page.$$eval("#axis .tick.special", (ticks) => ticks.map((t) => t.textContent)), ["Sun 22 ★"]);
  assert.deepStrictEqual(await page.$$eval("#hours tr", (trs) => trs.map((tr) => tr.textContent)),
    ["Every dayopen 24 h", "★ Sun 2023-01-22 (special)closed"]);
  assert.strictEqual(await page.locator("#timeline .segment.closed").count(), 1);
  assert.strictEqual(await page.textContent("#store-now"),
    "Right now: online since Tue 17 Jan 18:00. The newest poll is from 2023-01-25 23:00 UTC: nothing newer has arrived.");
  const special = page.locator("#days .day.special");
  assert.strictEqual(await special.count(), 1);
  assert.strictEqual(await special.locator(".day-label").textContent(), "Sun 22★");
  await special.click();
  assert.strictEqual(await page.textContent("#day-detail"), "Sun 2023-01-22 (special date): closed");
  await page.goBack();
  await page.waitForSelector("#home-view:not([hidden])");

  // --- A custom report: a 7-day period, opened because it was chosen,
  // labelled as such; the home still lands on the standard report.
  await page.click("#new-report summary");
  assert.ok(await page.locator("#date-range").isHidden(), "dates shown for the standard windows");
  await page.selectOption("#period", "7");
  assert.strictEqual(await page.inputValue("#from-date"), "2023-01-18");
  assert.strictEqual(await page.inputValue("#to-date"), "2023-01-24");
  await page.click("#trigger");
  await page.waitForFunction(() => document.querySelector("#report-title").textContent.startsWith("Custom report"));
  assert.strictEqual(await page.textContent("#report-title"), "Custom report, 2023-01-18 to 2023-01-24 (local dates)");
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), "report-title");
  assert.deepStrictEqual(await page.$$eval("#report-table thead th", (ths) => ths.map((th) => th.textContent)),
    ["Store", "Uptime", "Down", "Up", "Open"]);
  await page.waitForFunction(() => document.querySelectorAll("#report-table tbody tr").length === 3);
  assert.deepStrictEqual(await rows("#report-table"), [
    ["outage-store", "92.9 %", "4 h", "52 h", "56 h"],
    // Tokyo: the first poll is 09:00 on the 18th, so the period starts there
    // (rules §7) and the 17th's night (its last 2 h on the 18th) is not in it.
    ["night-store", "96.2 %", "1 h", "25 h", "26 h"],
    ["steady-store", "100.0 %", "0 min", "144 h", "144 h"]]);
  await page.click('#report-table th[data-key="uptime_percent"] button');
  await page.waitForFunction(() => document.querySelector("#report-table tbody td").textContent === "steady-store");
  await checkAccessibility(page, "a custom report");
  const customUrl = page.url();
  // The home is not moved: the same standard figures, the custom one marked as such.
  await page.goto(baseUrl + "/");
  await page.waitForSelector("#store-table tbody tr");
  assert.deepStrictEqual((await rows()).map((row) => row.slice(2)), [["92.9 %", "4 h"], ["96.4 %", "1 h"], ["100.0 %", "0 min"]]);
  await page.click("#reports-panel summary");
  await page.waitForFunction(() => document.querySelectorAll("#reports tbody tr").length === 2);
  assert.deepStrictEqual(await page.$$eval("#reports tbody tr", (trs) => trs.map((tr) => tr.cells[1].textContent)),
    ["custom", "standard (in the list above)"]);
  // Escape closes a panel.
  await page.focus("#refresh-reports");
  await page.keyboard.press("Escape");
  assert.ok(!(await page.locator("#reports-panel").evaluate((d) => d.open)));
  await page.goto(customUrl);
  await page.waitForFunction(() => document.querySelector("#report-title").textContent.startsWith("Custom report"));

  // --- 250 live stores: paging on the server; a new outage moves the status
  // line and opens an incident, with the store's start in its local time.
  await page.goto(manyUrl + "/");
  await page.waitForFunction(() => document.querySelector("#stores-meta").textContent.includes("from the standard report as of"));
  assert.strictEqual(await page.locator("#store-table tbody tr").count(), 50);
  assert.strictEqual(await page.textContent("#page-text"), "Page 1 of 5");
  for (let i = 0; i < 4; i++) {
    const first = (await rows())[0][0];
    await page.click("#next-page");
    await page.waitForFunction((old) => document.querySelector("#store-table tbody td button").textContent !== old, first);
  }
  assert.match(await page.textContent("#row-count"), /^Stores 201–250 of 250/);
  assert.match(page.url(), /page=5/);
  assert.ok(await page.isDisabled("#next-page"));
  const lastPageFirst = (await rows())[0][0];
  await page.reload();
  await page.waitForFunction((old) => document.querySelector("#store-table tbody td button")?.textContent === old, lastPageFirst);

  // Back from a store returns to where one was on the list.
  await page.evaluate(() => window.scrollTo(0, 700));
  const listY = await page.evaluate(() => window.scrollY);
  assert.ok(listY > 0);
  await page.locator("#store-table tbody tr").nth(20).click();
  await expectLandedOnStore(page, null);
  await page.goBack();
  await page.waitForFunction((y) => !document.querySelector("#home-view").hidden && Math.abs(window.scrollY - y) < 2, listY);

  // A store with hours but no poll yet: said so, nothing drawn.
  const hours = await page.request.post(manyUrl + "/ingest/hours", { headers: { "Content-Type": "text/csv" },
    data: "store_id,dayOfWeek,start_time_local,end_time_local\nquiet-store,0,09:00:00,17:00:00\n" });
  assert.strictEqual(hours.status(), 200);
  await page.goto(manyUrl + "/#store=quiet-store");
  await expectLandedOnStore(page, "Store quiet-store");
  assert.strictEqual(await page.textContent("#store-headline"), "Not heard from this store yet: no poll has arrived.");
  assert.ok(await page.locator("#store-history").isHidden());

  const live = await context.newPage();
  watch(live);
  live.setDefaultTimeout(120000);
  await live.clock.install();
  await live.goto(manyUrl + "/");
  await live.waitForFunction(() => / stores? down now · /.test(document.querySelector("#status-text").textContent));
  const downBefore = Number((await live.textContent("#status-text")).match(/^(\d+) /)[1]);
  await live.evaluate(async (base) => {
    const minuteAgo = new Date(Date.now() - 60000).toISOString().slice(0, 19).replace("T", " ");
    const answer = await fetch(base + "/ingest/status", { method: "POST", headers: { "Content-Type": "text/csv" },
      body: "store_id,status,timestamp_utc\nkitchen-9,inactive," + minuteAgo + "\n" });
    if (!answer.ok) throw new Error(await answer.text());
  }, manyUrl);
  await live.clock.fastForward(31000);
  await live.waitForFunction((n) => document.querySelector("#status-text").textContent.startsWith((n + 1) + " stores down now · "), downBefore);
  assert.match(await live.textContent("#status-text"), /^\d+ stores down now · [1-9]\d* new in the last hour$/);
  // "Down now" lists the same stores the status line counts: 5, then all.
  const downNow = downBefore + 1;
  await live.waitForFunction((n) => document.querySelector("#down-count").textContent === "(" + n + ")", downNow);
  assert.strictEqual(await live.locator("#down-now tbody tr").count(), Math.min(5, downNow));
  if (downNow > 5) await live.click("#down-more");
  await live.waitForFunction((n) => document.querySelectorAll("#down-now tbody tr").length === n, downNow);
  const incident = await live.$$eval("#down-now tbody tr", (trs) => trs.map((tr) => Array.from(tr.cells, (td) => td.textContent))
    .find((cells) => cells[0] === "kitchen-9"));
  assert.ok(incident && /^\w{3} \d{1,2} \w{3} \d\d:\d\d$/.test(incident[1]), JSON.stringify(incident));
  // The alert's incident starts at the same instant.
  const alerted = await live.evaluate(async (base) => localText((await (await fetch(base + "/incidents?state=open")).json())
    .rows.find((row) => row.store_id === "kitchen-9").start_local), manyUrl);
  assert.strictEqual(alerted, incident[1]);
  await checkAccessibility(live, "the home with an open incident");
  await live.screenshot({ path: path.join(screenshotDir, "page-live.png") });
  await live.click("#down-now >> text=kitchen-9");
  await expectLandedOnStore(live, "Store kitchen-9");
  // The store view gives the same start as the incident.
  assert.ok((await live.textContent("#store-now")).startsWith("Right now: offline since " + incident[1] + " ("));
  assert.ok(await live.locator("#store-hint").isVisible());
  await live.close();

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
  for (let i = problems.length - 1; i >= 0; i--) {
    if (/CORS policy|net::ERR_FAILED/.test(problems[i])) problems.splice(i, 1);
  }

  // --- A phone: the list as cards; a store link lands on the store; the
  // store view fits the screen, uptime first, the last 14 days as rows, the
  // outages as 44 px targets, 16 px text and inputs.
  await page.setViewportSize(PHONE);
  await page.goto(baseUrl + "/");
  await page.waitForSelector("#store-table tbody tr");
  assert.ok(await wider(page) <= 0, "the home is wider than a phone");
  for (const card of await page.$$eval("#store-table tbody tr", (trs) => trs.map((tr) => tr.getBoundingClientRect()))) {
    assert.ok(card.right <= PHONE.width && card.height >= 44, JSON.stringify(card));
  }
  await checkAccessibility(page, "the phone home");
  await page.goto("about:blank");
  await page.goto(baseUrl + "/#store=outage-store");
  await expectLandedOnStore(page, "Store outage-store");
  assert.ok(await wider(page) <= 0, "the store view is wider than a phone");
  const phone = await page.evaluate(() => {
    const visibleDays = Array.from(document.querySelectorAll("#days .day")).filter((d) => d.offsetParent !== null);
    const figures = Array.from(document.querySelectorAll("#figures .figure"));
    return {
      days: visibleDays.map((d) => d.querySelector(".day-label").textContent),
      dayRight: Math.max(...visibleDays.map((d) => d.getBoundingClientRect().right)),
      dayFont: getComputedStyle(visibleDays[0]).fontSize,
      stacked: figures.every((f, i) => i === 0 || f.getBoundingClientRect().top > figures[i - 1].getBoundingClientRect().bottom - 1),
      firstFigure: figures[0].querySelector(".percent").textContent,
      outageHeights: Array.from(document.querySelectorAll("#outages button"), (b) => b.getBoundingClientRect().height),
      fonts: ["#store-headline", "#store-now", "#store-max-gap", "#outages button"].map((s) => getComputedStyle(document.querySelector(s)).fontSize),
    };
  });
  assert.deepStrictEqual(phone.days, ["Thu 12", "Fri 13", "Sat 14", "Sun 15", "Mon 16", "Tue 17", "Wed 18", "Thu 19",
    "Fri 20", "Sat 21", "Sun 22", "Mon 23", "Tue 24", "Wed 25"]);
  assert.ok(phone.dayRight <= PHONE.width && phone.dayFont === "16px" && phone.stacked, JSON.stringify(phone));
  assert.strictEqual(phone.firstFigure, "92.9 % online");
  assert.ok(phone.outageHeights.length === 3 && phone.outageHeights.every((h) => h >= 44), JSON.stringify(phone));
  assert.deepStrictEqual(phone.fonts, ["18px", "16px", "16px", "16px"]);
  await checkAccessibility(page, "the phone store view");
  await page.screenshot({ path: path.join(screenshotDir, "page-phone-store.png"), fullPage: true });

  // --- Tokens. The server gets an admin and owners; anonymous visitors are
  // asked for a token, which applies without a reload.
  await page.setViewportSize(DESKTOP);
  const admin = await page.request.post(baseUrl + "/admin/tokens", { data: { name: "ops", role: "admin" } });
  assert.strictEqual(admin.status(), 200);
  const adminSecret = (await admin.json()).secret;
  const newOwner = async (name, stores) => {
    const created = await page.request.post(baseUrl + "/admin/tokens",
      { data: { name, role: "owner", stores }, headers: { Authorization: "Bearer " + adminSecret } });
    assert.strictEqual(created.status(), 200);
    return (await created.json()).secret;
  };
  const oneStore = await newOwner("outage-owner", ["outage-store"]);
  const twoStores = await newOwner("two-owner", ["outage-store", "night-store"]);
  await page.goto(baseUrl + "/");
  await page.waitForSelector("#token-section:not([hidden])");
  assert.strictEqual(await page.textContent("#token-title"), "This server needs an access token");
  assert.ok(await page.locator("#home-view").isHidden());
  await checkAccessibility(page, "the token prompt");
  await page.fill("#token-input", adminSecret);
  await page.press("#token-input", "Enter");
  await page.waitForSelector("#home-view:not([hidden]) #store-table tbody tr");
  assert.ok(await page.locator("#token-section").isHidden());
  // "Download CSV" fetches with the token and saves the landing report.
  const [reportFile] = await Promise.all([page.waitForEvent("download"), page.click("#download-landing")]);
  const reportCsv = fs.readFileSync(await reportFile.path(), "utf8");
  assert.strictEqual(reportCsv.trim().split("\n").length, 4, reportCsv);
  assert.match(reportCsv, /^outage-store,0\.00,8\.00,52\.00,0\.00,0\.00,4\.00$/m);
  await page.click("#token-panel summary");
  await page.click("#forget-token");
  await page.waitForSelector("#token-section:not([hidden])");

  // An owner's link with one store: the token leaves the address, the page
  // opens on the store in plain words, with no fleet, no operator control.
  await page.goto(baseUrl + "/#token=" + encodeURIComponent(oneStore));
  await expectLandedOnStore(page, "Store outage-store");
  assert.ok(!page.url().includes(oneStore), "the token stays in the address: " + page.url());
  assert.strictEqual(await page.evaluate(() => localStorage.getItem("uptime-token")), oneStore);
  assert.strictEqual(await page.textContent("#store-headline"),
    "This week your store was offline 3 times during opening hours: 4 h (92.9 % online).");
  await page.waitForFunction(() => document.querySelector("#status-text").textContent.startsWith("Your store is closed now"));
  const ownerText = await page.evaluate(() => document.body.innerText);
  for (const word of ["fleet", "Fleet", "report", "Report", "max gap", "Max gap", "polls,", "All stores", "night-store", "steady-store", "OpenAPI"]) {
    assert.ok(!ownerText.includes(word), "the owner's page says “" + word + "”:\n" + ownerText);
  }
  const operatorControls = await page.$$eval("#gap-bar, #new-report, #reports-panel, #store-back, #down-section, #fleet-section",
    (elements) => elements.filter((e) => e.offsetParent !== null).map((e) => e.id));
  assert.deepStrictEqual(operatorControls, []);
  await checkAccessibility(page, "the owner's store");
  await page.screenshot({ path: path.join(screenshotDir, "page-owner.png"), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.reload();
  await expectLandedOnStore(page, "Store outage-store");
  await checkAccessibility(page, "the owner's store on a phone");
  await page.screenshot({ path: path.join(screenshotDir, "page-owner-phone.png"), fullPage: true });
  await page.setViewportSize(DESKTOP);

  // An owner of two stores opens on their list, in their words.
  await page.goto(baseUrl + "/#token=" + encodeURIComponent(twoStores));
  await page.waitForSelector("#home-view:not([hidden]) #store-table tbody tr");
  assert.strictEqual(await page.textContent("#stores-title"), "Your stores");
  assert.deepStrictEqual(await page.$$eval("#store-table thead th", (ths) => ths.map((th) => th.textContent)),
    ["Store", "Right now", "Online this week", "Offline this week"]);
  assert.deepStrictEqual((await rows()).map((row) => row[0]), ["outage-store", "night-store"]);
  await page.waitForFunction(() => document.querySelector("#status-text").textContent.startsWith("Your 2 stores now: 2 closed"));
  assert.ok(!(await page.evaluate(() => document.body.innerText)).includes("steady-store"));
  await page.click("text=night-store");
  await expectLandedOnStore(page, "Store night-store");
  assert.strictEqual(await page.textContent("#store-back"), "‹ Your stores");
  await page.click("#store-back");
  await page.waitForSelector("#home-view:not([hidden])");
  await page.evaluate(() => localStorage.removeItem("uptime-token"));

  // The browser logs each 401 of an anonymous visit: expected before a token.
  const refusedAnonymous = problems.filter((p) => p.includes("status of 401 (Unauthorized)"));
  assert.strictEqual(refusedAnonymous.length, 2, JSON.stringify(problems));
  assert.deepStrictEqual(problems.filter((p) => !refusedAnonymous.includes(p)), []);
  await browser.close();
}

main().then(
  () => console.log("browser test passed; screenshots in " + screenshotDir),
  (error) => {
    console.error("FAIL: " + (error.stack || error));
    process.exit(1);
  });
