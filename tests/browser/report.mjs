// Opens the county report in Debian's chromium, offline, the way an officer opens it from disk, and
// checks that it rendered: every unit present, a heat-map cell per unit × field, no console error,
// no network request. Usage: node report.mjs REPORT.html UNITS.txt FIELDS SCREENSHOT.png
import { launch } from "./chromium.mjs";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [report, unitsFile, fieldCount, screenshot] = process.argv.slice(2);
const units = readFileSync(unitsFile, "utf8").split("\n").filter(Boolean).map((l) => l.split("\t"));
const failures = [];
let passed = 0;
const check = (ok, what) => (ok ? passed++ : failures.push(what));

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const errors = [];
const requests = [];
page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
page.on("pageerror", (e) => errors.push(String(e)));
page.on("request", (r) => !/^(file|data|about):/.test(r.url()) && requests.push(r.url()));

await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
check((await page.title()).length > 0, "the page has a title");
for (const [code, name] of units) {
  check((await page.locator(`section#u-${code}`).count()) === 1, `a section for ${code} ${name}`);
  check((await page.locator(`table.summary >> text=${name}`).count()) >= 1, `${name} in the summary table`);
}
// A column per field some unit counts in; the others are named once above the map.
const columns = await page.locator("table.heat th.f").count();
const idle = await page.locator("p:has-text('不列入热力图')").count();
const idleNamed = idle ? (await page.locator("p:has-text('不列入热力图')").innerText()).split("、").length : 0;
check(columns + idleNamed === Number(fieldCount), `heat map: ${columns} field columns and ${idleNamed} fields named apart, of ${fieldCount}`);
const cells = await page.locator("table.heat td[data-unit][data-field]").count();
check(cells === units.length * columns, `heat map: ${cells} cells for ${units.length} units × ${columns} fields`);
check((await page.locator("svg.trend").count()) === 1, "the trend chart is drawn");
check((await page.locator("svg.units rect").count()) === units.length, "a bar per unit in the comparison chart");
const box = await page.locator("table.heat").boundingBox();
check(box !== null && box.width > 300 && box.height > 100, "the heat map has a visible size");
check(errors.length === 0, `no console errors: ${errors.join(" | ")}`);
check(requests.length === 0, `no network requests: ${requests.join(" ")}`);
await page.screenshot({ path: screenshot, fullPage: true });
await browser.close();

for (const f of failures) console.log(`FAILED: ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
