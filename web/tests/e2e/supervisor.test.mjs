// The supervisor page in a real browser (Debian's Chromium, headless,
// driven by playwright-core) against a real ledger server loaded with the
// golden campaign. Screenshots of every page go to $FUPIN_WEB_ARTIFACTS
// (default web/test-results/).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { artifacts, campaign, DESKTOP, fixtures, openLedgerPage, shot, TestLedger, TOKENS } from './ledger.mjs';
import { hideFirstOwnRecord, startTamperProxy } from './tamper-proxy.mjs';

const supervisorKey = path.join(fixtures, 'keys/supervisor-430000-1.pem');
const NARROW = { width: 390, height: 844 };

let ledger;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  ledger = await TestLedger.start();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});

after(async () => {
  await browser?.close();
  await ledger?.stop();
});

// A fresh browser context (empty session and local storage) logged in.
// A fresh browser context (empty session and local storage), logged in
// with `token` unless it is null.
function openPage(token, { viewport = DESKTOP, url = ledger.url } = {}) {
  return openLedgerPage(browser, url, { token, viewport });
}

async function cellTexts(row) {
  return row.locator('td').allInnerTexts();
}

test('login refuses a wrong token and keeps a good one for the tab only', async () => {
  const page = await openPage(null);
  await shot(page, 'login');
  await page.fill('#token', 'not-a-token');
  await page.click('form.login button[type=submit]');
  await page.getByText('令牌无效，请检查后重试').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.fill('#token', TOKENS.supervisor.token);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('[data-testid=stats-table]');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('fupin-ledger.token')), TOKENS.supervisor.token);
  assert.equal(await page.evaluate(() => localStorage.getItem('fupin-ledger.token')), null);
  await page.click('#logout');
  await page.waitForSelector('#token');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('fupin-ledger.token')), null);
  page.checkClean();
  await page.context().close();
});

test('统计表 equals the API cell for cell, drills down and goes back in time', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  await page.waitForSelector('[data-testid=stats-table]');
  const api = await ledger.get(`/v1/stats?campaign=${campaign}`);
  const province = api.rows.find((r) => r.level === 'province');
  const changsha = api.rows.find((r) => r.region === '430100');
  const top = await cellTexts(page.locator('tr[data-region="430000"]'));
  assert.equal(top[0], `合计（${province.name}）`);
  assert.equal(top[7], province.sales_wan_yuan.replace(/\B(?=(\d{3})+\.)/g, ','));
  assert.equal(top[8], province.poor_people_covered.toLocaleString('en-US'));
  const cs = await cellTexts(page.locator('tr[data-region="430100"]'));
  assert.deepEqual(cs, [
    changsha.name, String(changsha.online_zones), String(changsha.offline_zones), String(changsha.pavilions),
    String(changsha.counters), String(changsha.livestream_bases), String(changsha.promotions),
    changsha.sales_wan_yuan, changsha.poor_people_covered.toLocaleString('en-US'),
  ]);
  assert.equal(await page.locator('tr[data-level="prefecture"]').count(), api.rows.filter((r) => r.level === 'prefecture').length);
  assert.equal(await page.getByTestId('as-of').innerText(), `数据截至序号 ${api.as_of}`);
  assert.equal(await page.title(), '统计表 · 消费扶贫账本');
  await shot(page, 'stats');

  // 市州 -> 县市区
  await page.click('tr[data-region="430100"] a.drill');
  await page.waitForSelector('tr[data-level="county"]');
  const counties = api.rows.filter((r) => r.level === 'county' && r.region.startsWith('4301'));
  assert.equal(await page.locator('tr[data-level="county"]').count(), counties.length);
  const first = await cellTexts(page.locator(`tr[data-region="${counties[0].region}"]`));
  assert.equal(first[7], counties[0].sales_wan_yuan);
  await shot(page, 'stats-county');

  // As of a seq: the table the API gives for that seq.
  await page.click('nav.crumbs a');
  const past = await ledger.get(`/v1/stats?campaign=${campaign}&as_of=5000`);
  await page.fill('#as-of', '5000');
  await page.click('form.filters button[type=submit]');
  await page.getByText('数据截至序号 5000').waitFor();
  const pastTop = await cellTexts(page.locator('tr[data-region="430000"]'));
  assert.equal(pastTop[7], past.rows[0].sales_wan_yuan.replace(/\B(?=(\d{3})+\.)/g, ','));
  // As of a date: before the ledger existed is refused with the reason.
  await page.fill('#as-of', '2000-01-01');
  await page.click('form.filters button[type=submit]');
  await page.getByText('时点无效').waitFor();
  assert.match(await page.locator('.error').innerText(), /before the first record/);
  // As of tomorrow (Beijing): everything recorded so far.
  const tomorrow = new Date(Date.now() + 32 * 3600 * 1000).toISOString().slice(0, 10);
  await page.fill('#as-of', tomorrow);
  await page.click('form.filters button[type=submit]');
  await page.getByText(`数据截至序号 ${api.as_of}`).waitFor();
  page.checkClean();
  await page.context().close();
});

test('the table downloads as XLSX and CSV with the server\'s file names', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  await page.waitForSelector('[data-testid=stats-table]');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-xlsx]')]);
  assert.match(xlsx.suggestedFilename(), new RegExp(`^stats-${campaign}-\\d+\\.xlsx$`));
  const xlsxPath = path.join(artifacts, xlsx.suggestedFilename());
  await xlsx.saveAs(xlsxPath);
  assert.equal(readFileSync(xlsxPath).subarray(0, 2).toString('latin1'), 'PK');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-csv]')]);
  assert.match(csv.suggestedFilename(), /\.csv$/);
  const csvPath = path.join(artifacts, csv.suggestedFilename());
  await csv.saveAs(csvPath);
  const text = readFileSync(csvPath, 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'CSV carries the BOM Excel needs');
  assert.match(text, /合计/);
  page.checkClean();
  await page.context().close();
});

test('目标进度 draws the charts and lists exactly the targets not met', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  await page.click('nav a[data-page=targets]');
  await page.waitForSelector('[data-testid=chart-counters] canvas');
  await page.waitForSelector('[data-testid=chart-sales] canvas');
  const api = await ledger.get(`/v1/targets?campaign=${campaign}`);
  const short = api.checks.filter((c) => !c.met).map((c) => `${c.target}/${c.region}`).sort();
  const shown = await page.locator('[data-testid=short-table] tbody tr').evaluateAll((rows) =>
    rows.map((r) => `${r.dataset.target}/${r.dataset.region}`).sort());
  assert.deepEqual(shown, short);
  assert.ok(short.length > 0, 'the golden campaign has shortfalls to show');
  await page.getByTestId('targets-overall').getByText(`${short.length} 项未达标`).waitFor();
  await shot(page, 'targets');
  page.checkClean();
  await page.context().close();
});

test('预警: filter, open a flag, resolve it signed in the page', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  await page.click('nav a[data-page=flags]');
  await page.waitForSelector('[data-testid=flags-table]');
  await shot(page, 'flags');
  await page.selectOption('#rule', 'FP-03');
  await page.click('form.filters button[type=submit]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=flags-table] tbody tr')].every((r) => r.dataset.rule === 'FP-03'));
  const api = await ledger.get('/v1/flags?rule=FP-03&status=open');
  assert.ok(api.flags.length > 0);
  assert.equal(await page.locator('[data-testid=flags-table] tbody tr').count(), api.flags.length);

  const flag = api.flags[0];
  await page.click(`tr[data-flag="${flag.flag_id}"] a`);
  await page.waitForSelector('[data-testid=evidence-table]');
  assert.equal(await page.getByTestId('flag-summary').innerText(), flag.summary);
  assert.equal(await page.locator('[data-testid=evidence-table] tbody tr').count(), flag.evidence.length);
  await page.getByText('参考价').first().waitFor(); // the rule's details, labelled in Chinese
  await shot(page, 'flag');

  // A key file that does not belong to the key id: the ledger refuses the
  // signature and nothing is written.
  const size = (await ledger.get('/v1/checkpoint')).tree_size;
  await page.setInputFiles('#key-file', supervisorKey);
  await page.fill('#key-id', 'supervisor-430000-2');
  await page.fill('#note', '核实：售价确高于参考价');
  await page.click('form.resolve button[type=submit]');
  await page.locator('[data-testid=resolve-status] .error').waitFor();
  assert.match(await page.getByTestId('resolve-status').innerText(), /HTTP 403|签名|signature/i);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a checkpoint would have been signed
  assert.equal((await ledger.get('/v1/checkpoint')).tree_size, size);

  // The right key id: signed in the page, appended, the flag confirmed.
  await page.fill('#key-id', 'supervisor-430000-1');
  await page.click('form.resolve button[type=submit]');
  await page.getByTestId('flag-status').getByText('已确认').waitFor({ timeout: 15_000 });
  const resolved = await ledger.get(`/v1/flags/${flag.flag_id}`);
  assert.equal(resolved.status, 'confirmed');
  const history = await ledger.get(`/v1/trail/flag/${flag.flag_id}`);
  const last = history.records.at(-1);
  assert.equal(last.event.type, 'flag.resolved');
  assert.equal(last.event.key, 'supervisor-430000-1');
  assert.deepEqual(last.event.body, { flag_id: flag.flag_id, resolution: 'confirmed', note: '核实：售价确高于参考价' });
  await page.locator('[data-testid=history-table]').getByText('处理：已确认').waitFor();
  await shot(page, 'flag-resolved');
  page.checkClean();
  await page.context().close();
});

test('预警: a resolution signed in the page with an SM2 key file is accepted', async () => {
  // A supervisor key made by `fupin-ledger keygen --alg sm2` (PKCS#8,
  // id-ecPublicKey + the SM2 curve), registered by the admin.
  const key = await ledger.registerKey({ keyId: 'supervisor-430000-sm2', alg: 'sm2', roles: ['supervisor'], regions: ['430000'] });
  const flag = (await ledger.get('/v1/flags?status=open&limit=1')).flags[0];
  assert.ok(flag);
  const page = await openPage(TOKENS.supervisor.token);
  await page.goto(`${ledger.url}/#/flags/${encodeURIComponent(flag.flag_id)}`);
  await page.waitForSelector('form.resolve');
  await page.setInputFiles('#key-file', key.pemFile);
  await page.fill('#key-id', key.keyId);
  await page.fill('#note', '以 SM2 密钥签名');
  await page.click('input[name=resolution][value=dismissed]');
  await page.click('form.resolve button[type=submit]');
  await page.getByTestId('flag-status').getByText('已排除').waitFor({ timeout: 15_000 });
  const last = (await ledger.get(`/v1/trail/flag/${encodeURIComponent(flag.flag_id)}`)).records.at(-1);
  assert.equal(last.event.type, 'flag.resolved');
  assert.equal(last.event.key, key.keyId);
  assert.deepEqual(last.event.body, { flag_id: flag.flag_id, resolution: 'dismissed', note: '以 SM2 密钥签名' });
  assert.notEqual(Buffer.from(last.event.sig, 'base64').length, 64); // DER, not Ed25519
  page.checkClean();
  await page.context().close();
});

test('审计轨迹 marks every record ✔ after checking its proof in the page', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  const product = 'P-431230-0004';
  await page.goto(`${ledger.url}/#/trail/product/${product}`);
  await page.waitForSelector('[data-testid=trail-table]');
  const api = await ledger.get(`/v1/trail/product/${product}?proofs=1&limit=100`);
  assert.equal(await page.getByTestId('proof-ok').count(), api.records.length);
  assert.equal(await page.getByTestId('proof-bad').count(), 0);
  assert.match(await page.getByTestId('proof-summary').innerText(), /本页已验证/);
  assert.match(await page.getByTestId('chain-status').innerText(), /^✔ 实体哈希链完整/);
  await shot(page, 'trail');

  // Finding an outlet by region, then its trail.
  const outlets = await ledger.get('/v1/outlets?region=430102&limit=100');
  await page.selectOption('#finder-kind', 'outlet');
  await page.fill('#finder-region', '430102');
  await page.click('form.finder button[type=submit]');
  await page.waitForSelector('[data-testid=finder-list]');
  assert.equal(await page.locator('[data-testid=finder-list] li').count(), outlets.outlets.length);
  const outlet = outlets.outlets[0].outlet_id;
  await page.click(`[data-testid=finder-list] a[href="#/trail/outlet/${outlet}"]`);
  await page.waitForSelector('[data-testid=proof-summary]');
  const outletTrail = await ledger.get(`/v1/trail/outlet/${outlet}?proofs=1&limit=100`);
  assert.equal(await page.getByTestId('proof-ok').count(), outletTrail.records.length);
  assert.match(await page.getByTestId('chain-status').innerText(), /^✔ 实体哈希链完整/);
  page.checkClean();
  await page.context().close();
});

test('a tampered proof is refused by the page', async () => {
  const proxy = await startTamperProxy(ledger.url);
  try {
    const page = await openPage(TOKENS.supervisor.token, { url: proxy.url });
    await page.goto(`${proxy.url}/#/trail/product/P-431230-0004`);
    await page.getByTestId('proof-refused').waitFor();
    assert.match(await page.getByTestId('proof-refused').innerText(), /包含证明与检查点根哈希不符/);
    assert.equal(await page.getByTestId('proof-bad').count(), 1);
    assert.equal(await page.locator('tr.refused').count(), 1);
    await shot(page, 'trail-tampered');
    page.checkClean();
    await page.context().close();
  } finally {
    await proxy.close();
  }
});

test('a record hidden from a trail is caught by the chain', async () => {
  const proxy = await startTamperProxy(ledger.url, hideFirstOwnRecord);
  try {
    const page = await openPage(TOKENS.supervisor.token, { url: proxy.url });
    await page.goto(`${proxy.url}/#/trail/product/P-431230-0004`);
    await page.getByTestId('proof-refused').waitFor();
    assert.match(await page.getByTestId('chain-status').innerText(), /^✘ 实体哈希链校验失败：哈希链含序号 \d+（版本 1），但本页未显示该记录/);
    assert.equal(await page.getByTestId('proof-ok').count(), 0);
    await shot(page, 'trail-hidden-record');
    page.checkClean();
    await page.context().close();
  } finally {
    await proxy.close();
  }
});

test('完整性 shows the last verification and a checkpoint verified in the page', async () => {
  const page = await openPage(TOKENS.supervisor.token);
  await page.click('nav a[data-page=integrity]');
  await page.waitForSelector('[data-testid=integrity-status]');
  const api = await ledger.get('/v1/integrity');
  assert.equal(await page.getByTestId('integrity-status').getAttribute('data-status'), 'clean');
  assert.equal(await page.getByTestId('verified-size').innerText(), api.last_run.verified_tree_size.toLocaleString('en-US'));
  await page.getByTestId('checkpoint-ok').waitFor();
  // The anchor the page pinned is the ledger's: log id = leaf hash of seq 0.
  const genesis = await ledger.get('/v1/events/0');
  const pinned = await page.evaluate(() => JSON.parse(localStorage.getItem('fupin-ledger.trust-anchor')));
  assert.equal(pinned.log_id, genesis.leaf_hash);
  assert.equal(pinned.public_key, genesis.event.body.public_key);
  await shot(page, 'integrity');
  // Another ledger behind the same origin is refused until the anchor is
  // cleared on purpose.
  await page.evaluate(() => localStorage.setItem('fupin-ledger.trust-anchor', JSON.stringify({ log_id: '00'.repeat(32), key_id: 'x', public_key: 'eA==' })));
  await page.goto(`${ledger.url}/#/trail/product/P-431230-0004`);
  await page.getByText('与本浏览器信任的账本').waitFor();
  await page.goto(`${ledger.url}/#/integrity`);
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('[data-testid=forget-anchor]');
  await page.waitForSelector('[data-testid=checkpoint-ok]');
  assert.equal((await page.evaluate(() => JSON.parse(localStorage.getItem('fupin-ledger.trust-anchor')))).log_id, genesis.leaf_hash);
  page.checkClean();
  await page.context().close();
});

test('a region-scoped token sees its region only; a public token no flags', async () => {
  // A token that may not read the raw log types the campaign id.
  const page = await openPage(TOKENS.xiangxi.token);
  await page.fill('#campaign', campaign);
  await page.click('form.filters button[type=submit]');
  await page.waitForSelector('[data-testid=stats-table]');
  const regions = await page.locator('[data-testid=stats-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.region));
  assert.deepEqual(regions, ['433100']);
  await shot(page, 'stats-xiangxi');
  const outside = (await ledger.get('/v1/flags?limit=1000')).flags.find((f) => !f.region.startsWith('4331'));
  await page.goto(`${ledger.url}/#/flags/${outside.flag_id}`);
  await page.getByText('权限不足').waitFor();
  page.checkClean();
  await page.context().close();

  const publicPage = await openPage(TOKENS.public.token);
  await publicPage.fill('#campaign', campaign);
  await publicPage.click('form.filters button[type=submit]');
  await publicPage.waitForSelector('[data-testid=stats-table]');
  await publicPage.click('nav a[data-page=flags]');
  await publicPage.getByText('权限不足').waitFor();
  publicPage.checkClean();
  await publicPage.context().close();
});

test('every page fits a narrow screen', async () => {
  const page = await openPage(TOKENS.supervisor.token, { viewport: NARROW });
  for (const [name, selector] of [
    ['stats', '[data-testid=stats-table]'],
    ['targets', '[data-testid=chart-counters] canvas'],
    ['flags', '[data-testid=flags-table]'],
    ['trail/product/P-431230-0004', '[data-testid=trail-table]'],
    ['integrity', '[data-testid=integrity-status]'],
  ]) {
    await page.goto(`${ledger.url}/#/${name}`);
    await page.waitForSelector(selector);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} overflows the screen by ${overflow}px`);
    await shot(page, `narrow-${name.split('/')[0]}`);
  }
  page.checkClean();
  await page.context().close();
});
