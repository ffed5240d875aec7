// The page's timings for bench/page.sh: prints one markdown row's cells.
// Usage: node page_bench.cjs BASE_URL NODE_MODULES_DIR RUNS
// Creates an admin and an owner token last (the server then asks for tokens).
"use strict";
const path = require("path");

const [baseUrl, nodeModules, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const { chromium } = require(path.join(nodeModules, "playwright-core"));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => Math.round(value) + " ms";

// Marks, in the page, the first frame painted after each condition holds.
function markPaints() {
  window.__marks = {};
  const conditions = {
    status: () => (document.querySelector("#status-text") || {}).textContent,
    table: () => document.querySelector("#store-table tbody td button"),
    store: () => (document.querySelector("#store-headline") || {}).textContent,
  };
  const check = () => {
    for (const [name, holds] of Object.entries(conditions)) {
      if (!(name in window.__marks) && holds()) {
        window.__marks[name] = null;
        requestAnimationFrame(() => { window.__marks[name] = performance.now(); });
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
}

// Milliseconds from `act` (run in the page) to the store table painted again.
function repaintAfter(page, act) {
  return page.evaluate((action) => new Promise((resolve) => {
    const body = document.querySelector("#store-table tbody");
    const start = performance.now();
    new MutationObserver((records, observer) => {
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    }).observe(body, { childList: true });
    if (action === "filter") {
      const input = document.querySelector("#filter");
      input.value += "7";
      input.dispatchEvent(new Event("input"));
    } else {
      document.querySelector("#next-page").click();
    }
  }), act);
}

async function desktop(browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(markPaints);
  await page.goto(baseUrl + "/");
  await page.waitForFunction(() => window.__marks.status && window.__marks.table);
  const result = await page.evaluate(() => {
    const before = window.__marks.table;
    const navigation = performance.getEntriesByType("navigation")[0];
    const bytes = navigation.transferSize + performance.getEntriesByType("resource")
      .filter((r) => r.responseEnd <= before).reduce((sum, r) => sum + r.transferSize, 0);
    return { status: window.__marks.status, table: before, bytes };
  });
  result.filter = await repaintAfter(page, "filter");
  await page.fill("#filter", "");
  await page.waitForFunction(() => !location.hash.includes("q="));
  await page.waitForTimeout(200);  // the cleared filter's answer, painted
  result.next = await repaintAfter(page, "next");
  await context.close();
  return result;
}

async function ownerPhone(browser, secret) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions",
    { offline: false, latency: 150, downloadThroughput: (9e6 / 8), uploadThroughput: (9e6 / 8) });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.addInitScript(markPaints);
  await page.goto(baseUrl + "/#token=" + encodeURIComponent(secret));
  await page.waitForFunction(() => window.__marks.store);
  const store = await page.evaluate(() => window.__marks.store);
  if (process.env.PAGE_BENCH_TRACE) {
    console.error(JSON.stringify(await page.evaluate(() => [performance.getEntriesByType("navigation")[0], ...performance.getEntriesByType("resource")]
      .map((r) => [r.name.replace(/^https?:\/\/[^/]+/, ""), Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize]))));
  }
  await context.close();
  return store;
}

async function main() {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await desktop(browser));
  // An owner of the worst store (tokens from here on).
  const request = (await browser.newContext()).request;
  const worst = (await (await request.get(baseUrl + "/stores?limit=1&sort=uptime_percent")).json()).rows[0].store_id;
  const admin = (await (await request.post(baseUrl + "/admin/tokens", { data: { name: "bench-admin", role: "admin" } })).json()).secret;
  const owner = (await (await request.post(baseUrl + "/admin/tokens", { data: { name: "bench-owner", role: "owner", stores: [worst] },
    headers: { Authorization: "Bearer " + admin } })).json()).secret;
  const phone = [];
  for (let i = 0; i < runs; i++) phone.push(await ownerPhone(browser, owner));
  await browser.close();
  const pick = (key) => median(results.map((r) => r[key]));
  console.log([ms(pick("status")), ms(pick("table")), Math.round(pick("bytes") / 1024) + " KB", ms(pick("filter")),
    ms(pick("next")), ms(median(phone))].join(" | "));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
