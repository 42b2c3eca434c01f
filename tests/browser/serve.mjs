// gkml serve in Debian's chromium, as its users meet it: a township clerk signs in, uploads a workbook
// with errors and sees them at their cells, uploads the fixed one and sees the unit's coverage; the
// county office sees both uploads and every unit; nothing of another unit is reachable, nothing without
// signing in, no form without its CSRF token. Screenshots go to the artifact folder.
// Usage: GKML=binary GKML_DB=store node serve.mjs BASE_URL WORK_DIR ARTIFACT_DIR
// (WORK_DIR holds broken.xlsx and fixed.xlsx; GKML_DB is the store the server runs on)
import { launch } from "./chromium.mjs";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const [base, work, artifacts] = process.argv.slice(2);
const own = "230522203000", ownName = "建设乡";      // the township that uploads
const other = "230522204000";                        // another township of the county
const failures = [];
let passed = 0;
const check = (ok, what) => (ok ? passed++ : failures.push(what));

const browser = await launch();
const errors = [];
// The first screen, as the user sees it, and the whole page.
async function shoot(page, name) {
  await page.screenshot({ path: `${artifacts}/${name}.png` });
  await page.screenshot({ path: `${artifacts}/${name}-full.png`, fullPage: true });
}
async function signedIn(name, password) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
  await page.goto(`${base}/login`);
  await page.fill("#name", name);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("form.signin button[type=submit]")]);
  return { context, page };
}

// Not signed in: pages send to the sign-in form, the API answers 401.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/unit/${own}`);
  check(new URL(page.url()).pathname === "/login", `unsigned /unit/${own} lands on /login, not ${page.url()}`);
  const api = await context.request.get(`${base}/api/units/${own}/coverage`);
  check(api.status() === 401, `unsigned API coverage: 401, not ${api.status()}`);
  const upload = await context.request.post(`${base}/api/units/${own}/upload`, {
    multipart: { file: { name: "fixed.xlsx", mimeType: "application/octet-stream", buffer: readFileSync(`${work}/fixed.xlsx`) } },
  });
  check(upload.status() === 401, `unsigned API upload: 401, not ${upload.status()}`);
  // A wrong password: the form again, with the reason.
  await page.fill("#name", "jianshe");
  await page.fill("#password", "not-the-password");
  await Promise.all([page.waitForNavigation(), page.click("form.signin button[type=submit]")]);
  check((await page.locator("text=账号或口令不对").count()) === 1, "a wrong password is told");
  await context.close();
}

// The township.
{
  const { context, page } = await signedIn("jianshe", "jianshe-2026-gongkai");
  check(new URL(page.url()).pathname === `/unit/${own}`, `the township lands on its page, not ${page.url()}`);
  check((await page.locator("h1", { hasText: ownName }).count()) === 1, "its page names the township");
  check((await page.locator("text=还没有本单位的目录").count()) === 1, "before its first upload it has no catalog");

  await page.setInputFiles("input[type=file]", `${work}/broken.xlsx`);
  let response = await Promise.all([page.waitForNavigation(), page.click("form.upload button[type=submit]")]).then(([r]) => r);
  check(response.status() === 422, `the broken workbook is refused with 422, not ${response.status()}`);
  const cells = await page.locator("table.diagnostics tr.error td.where").allInnerTexts();
  check(cells.length > 0 && cells.every((c) => /^.+![A-Z]+[0-9]+$/.test(c)), `each error at its sheet!cell: ${cells.join(", ")}`);
  check((await page.locator("#result", { hasText: "未入库" }).count()) === 1, "the clerk is told nothing was put in");
  check((await page.locator("text=还没有本单位的目录").count()) === 1, "the refused workbook changed nothing");
  check((await page.locator("details.warnings").count()) === 1 && (await page.locator("details.warnings[open]").count()) === 0,
        "the warnings are folded under their count");
  await shoot(page, "serve-township-errors");

  await page.setInputFiles("input[type=file]", `${work}/fixed.xlsx`);
  response = await Promise.all([page.waitForNavigation(), page.click("form.upload button[type=submit]")]).then(([r]) => r);
  check(response.status() === 200, `the fixed workbook is put in with 200, not ${response.status()}`);
  check((await page.locator("#result", { hasText: "已入库" }).count()) === 1, "the clerk is told it was put in");
  check((await page.locator("div.cards div.card").count()) >= 4, "its coverage figures are shown");
  check((await page.locator("table.uploads tr").count()) === 3, "its page lists both uploads");
  await shoot(page, "serve-township");

  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`a[href="/unit/${own}/rectify.xlsx"]`)]);
  const path = await download.path();
  check(readFileSync(path).subarray(0, 2).toString() === "PK", "the 整改清单 downloads as a workbook");

  // Nothing of another unit; no form without its token.
  const req = context.request;
  for (const path of [`/unit/${other}`, `/county?unit=${other}`, `/report?unit=${other}`, `/unit/${other}/rectify.html`]) {
    const r = await req.get(base + path);
    check(r.status() === 403, `${path}: 403, not ${r.status()}`);
  }
  for (const path of [`/api/units/${other}/coverage`, `/api/coverage?unit=${other}`, `/api/uploads?unit=${other}`]) {
    const r = await req.get(base + path);
    check(r.status() === 403, `${path}: 403, not ${r.status()}`);
  }
  const mine = await (await req.get(`${base}/api/coverage`)).json();
  check(mine.units.length === 1 && mine.units[0].code === own, `its coverage API holds its own unit only: ${mine.units.map((u) => u.code)}`);
  const session = await (await req.get(`${base}/api/session`)).json();
  const file = { name: "fixed.xlsx", mimeType: "application/octet-stream", buffer: readFileSync(`${work}/fixed.xlsx`) };
  const forged = await req.post(`${base}/unit/${own}/upload`, { multipart: { file } });
  check(forged.status() === 403, `a form without the CSRF token: 403, not ${forged.status()}`);
  const wrong = await req.post(`${base}/unit/${own}/upload`, { multipart: { csrf: "0".repeat(64), file } });
  check(wrong.status() === 403, `a form with a wrong CSRF token: 403, not ${wrong.status()}`);
  const bare = await req.post(`${base}/api/units/${own}/upload`, { multipart: { file } });
  check(bare.status() === 403, `an API upload without X-CSRF-Token: 403, not ${bare.status()}`);
  const elsewhere = await req.post(`${base}/api/units/${other}/upload`, { multipart: { file }, headers: { "X-CSRF-Token": session.csrf } });
  check(elsewhere.status() === 403, `an upload for another unit: 403, not ${elsewhere.status()}`);
  const again = await req.post(`${base}/api/units/${own}/upload`, { multipart: { file }, headers: { "X-CSRF-Token": session.csrf } });
  const answer = await again.json();
  check(again.status() === 200 && answer.outcome === "unchanged", `the same workbook again through the API: unchanged (${again.status()} ${answer.outcome})`);

  await Promise.all([page.waitForNavigation(), page.click("nav.top form button")]);
  check(new URL(page.url()).pathname === "/login", "signing out lands on the sign-in form");
  const after = await req.get(`${base}/api/session`);
  check(after.status() === 401, `after signing out the session is gone: ${after.status()}`);
  await context.close();
}

// The county office.
{
  const { context, page } = await signedIn("youyi", "youyi-county-2026");
  check(new URL(page.url()).pathname === "/county", `the county lands on /county, not ${page.url()}`);
  const rows = await page.locator("table.summary tr").count();
  check(rows >= 18, `the county sees every unit (${rows} rows)`);
  check((await page.locator(`table.summary a[href="/unit/${own}"]`).count()) === 1, "the township that uploaded is in the summary");
  check((await page.locator(`table.summary a[href="/unit/${other}"]`).count()) === 1, "the other township is in the summary");
  const uploads = await page.locator("table.uploads tr").allInnerTexts();
  check(uploads.some((t) => t.includes("broken.xlsx") && t.includes("未入库")), "the county sees the refused upload");
  check(uploads.some((t) => t.includes("fixed.xlsx") && t.includes("已入库")), "the county sees the upload put in");
  await shoot(page, "serve-county");
  await page.click(`table.summary a[href="/unit/${own}"]`);
  check((await page.locator("div.cards div.card").count()) >= 4, "the county opens the township's page");
  check((await page.locator("form.upload").count()) === 0, "the county does not upload for a township");
  const report = await page.goto(`${base}/report`);
  check(report.status() === 200 && (await page.locator("table.heat").count()) === 1, "the county report opens");
  await context.close();
}
// A changed password ends the account's sessions at once; a name tried five times is refused a while.
{
  const { context } = await signedIn("jixian", "jixian-2026-gongkai");
  check((await context.request.get(`${base}/api/session`)).status() === 200, "the other township is signed in");
  execFileSync(process.env.GKML, ["users", "passwd", "jixian", "--db", process.env.GKML_DB], { input: "jixian-new-2026-gongkai\n", stdio: ["pipe", "ignore", "ignore"] });
  const ended = await context.request.get(`${base}/api/session`);
  check(ended.status() === 401, `after gkml users passwd its session has ended: ${ended.status()}`);
  await context.close();
  const tries = await browser.newContext();
  const page = await tries.newPage();
  const attempt = async (password) => {
    await page.goto(`${base}/login`);
    await page.fill("#name", "jixian");
    await page.fill("#password", password);
    const [response] = await Promise.all([page.waitForNavigation(), page.click("form.signin button[type=submit]")]);
    return response.status();
  };
  for (let i = 0; i < 5; ++i) await attempt(`wrong-guess-${i}`);
  const sixth = await attempt("jixian-new-2026-gongkai");
  check(sixth === 429, `after five wrong passwords even the right one waits: ${sixth}`);
  check((await page.locator("text=尝试次数过多").count()) === 1, "the wait is told in Chinese");
  await tries.close();
}
check(errors.length === 0, `no page errors: ${errors.join(" | ")}`);
await browser.close();

for (const f of failures) console.log(`FAILED: ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
