// Witnessed checkpoints in the page (docs/trust.md), in Debian's Chromium
// against a real ledger served with two `witness serve` processes and a
// quorum of two: the page shows who cosigned the checkpoint it verified,
// pins the witness set on first use, refuses a checkpoint below the pinned
// quorum, and refuses the operator's forgery served behind the same origin.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { openSupervisorPage, sourceDir, TestLedger } from './ledger.mjs';
import { passThrough, startTamperProxy, stripCosignatures } from './tamper-proxy.mjs';

const artifacts = process.env.FUPIN_WEB_ARTIFACTS ?? path.join(sourceDir, 'web/test-results');
const WITNESSES = ['湘西州扶贫办', '省审计厅'];
const HOLD_BACK = 300;
const PRODUCT = 'P-431230-0004';

let ledger;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  ledger = await TestLedger.start({ witnesses: WITNESSES, holdBack: HOLD_BACK });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await ledger?.stop();
});

function openPage(url) {
  return openSupervisorPage(browser, url);
}

test('a trail names both witnesses who cosigned its checkpoint', async () => {
  const page = await openPage(ledger.url);
  await page.goto(`${ledger.url}/#/trail/product/${PRODUCT}`);
  await page.getByTestId('proof-summary').waitFor();
  const cosigners = await page.getByTestId('cosigners').innerText();
  for (const name of WITNESSES) assert.match(cosigners, new RegExp(name));
  assert.match(cosigners, /见证联署 2\/2/);
  assert.equal(await page.getByTestId('proof-bad').count(), 0);
  await page.screenshot({ path: path.join(artifacts, 'trail-witnessed.png'), fullPage: true });
  page.checkClean();
  await page.context().close();
});

test('完整性 pins the witness set beside the trust anchor', async () => {
  const page = await openPage(ledger.url);
  await page.goto(`${ledger.url}/#/integrity`);
  await page.getByTestId('checkpoint-ok').waitFor();
  const pinned = await page.evaluate(() => JSON.parse(localStorage.getItem('fupin-ledger.witnesses')));
  assert.equal(pinned.quorum, 2);
  assert.deepEqual(pinned.witnesses.map((w) => w.name), WITNESSES);
  const served = await ledger.get('/v1/checkpoint');
  assert.deepEqual(pinned.witnesses.map((w) => w.vkey), served.witness_policy.witnesses.map((w) => w.vkey));
  assert.match(await page.getByTestId('witness-set').innerText(), /2 \/ 2/);
  const cosigners = await page.getByTestId('checkpoint-cosigners').innerText();
  for (const name of WITNESSES) assert.match(cosigners, new RegExp(name));
  await page.screenshot({ path: path.join(artifacts, 'integrity-witnessed.png'), fullPage: true });
  page.checkClean();
  await page.context().close();
});

test('a checkpoint stripped of its cosignatures is refused', async () => {
  const proxy = await startTamperProxy(ledger.url, stripCosignatures);
  try {
    const page = await openPage(proxy.url);
    await page.goto(`${proxy.url}/#/trail/product/${PRODUCT}`);
    await page.getByTestId('proof-refused').waitFor();
    assert.match(await page.getByTestId('proof-refused').innerText(), /见证联署不足法定数（需 2 个，缺少：湘西州扶贫办、省审计厅）/);
    assert.equal(await page.getByTestId('proof-ok').count(), 0);
    page.checkClean();
    await page.context().close();
  } finally {
    await proxy.close();
  }
});

test('the operator\'s forgery behind the same address is refused', async () => {
  const proxy = await startTamperProxy(ledger.url, passThrough);
  const forgery = await ledger.serveForgery(HOLD_BACK);
  try {
    const page = await openPage(proxy.url);
    await page.goto(`${proxy.url}/#/trail/product/${PRODUCT}`);
    await page.getByTestId('proof-summary').waitFor();  // the honest ledger, witnessed
    proxy.setUpstream(forgery.url);
    await page.goto(`${proxy.url}/#/integrity`);
    await page.goto(`${proxy.url}/#/trail/product/${PRODUCT}`);
    await page.getByTestId('proof-refused').waitFor();
    assert.match(await page.getByTestId('proof-refused').innerText(), /见证联署不足法定数/);
    await page.screenshot({ path: path.join(artifacts, 'trail-forgery-refused.png'), fullPage: true });
    page.checkClean();
    await page.context().close();
  } finally {
    await proxy.close();
    await forgery.stop();
  }
});
