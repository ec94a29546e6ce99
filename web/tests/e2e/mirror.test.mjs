// A verifying mirror's page (docs/trust.md, "Mirrors"), in Debian's
// Chromium: the same page served by `fupin-ledger mirror` says whose copy
// it is and how far behind, and its proofs verify against the trust anchor
// the page pinned from the source.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { openSupervisorPage, sourceDir, TestLedger, TOKENS } from './ledger.mjs';

const artifacts = process.env.FUPIN_WEB_ARTIFACTS ?? path.join(sourceDir, 'web/test-results');
const PRODUCT = 'P-431230-0004';

let ledger;
let mirror;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  ledger = await TestLedger.start();
  mirror = await ledger.startMirror();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await mirror?.stop();
  await ledger?.stop();
});

function openPage(url) {
  return openSupervisorPage(browser, url, { width: 1280, height: 900 });
}

test('完整性 on the mirror names its source and shows it following', async () => {
  const page = await openPage(mirror.url);
  await page.click('nav a[data-page=integrity]');
  await page.getByTestId('mirror-status').waitFor();
  assert.equal(await page.getByTestId('mirror-status').getAttribute('data-following'), 'true');
  const facts = await page.getByTestId('mirror-facts').innerText();
  assert.match(facts, new RegExp(ledger.url.replace(/[.:/]/g, '\\$&')));
  const status = await (await fetch(`${mirror.url}/v1/mirror/status`, { headers: { Authorization: `Bearer ${TOKENS.supervisor.token}` } })).json();
  assert.equal(await page.getByTestId('mirror-local-size').innerText(), status.local_tree_size.toLocaleString('zh-CN'));
  await page.screenshot({ path: path.join(artifacts, 'mirror-integrity.png'), fullPage: true });
  page.checkClean();
  await page.context().close();
});

test('the ledger\'s own 完整性 has no mirror section', async () => {
  const page = await openPage(ledger.url);
  await page.click('nav a[data-page=integrity]');
  await page.getByTestId('integrity-status').waitFor();
  assert.equal(await page.getByTestId('mirror-status').count(), 0);
  page.checkClean();
  await page.context().close();
});

test('a trail read from the mirror verifies against the anchor pinned from the source', async () => {
  const page = await openPage(ledger.url);
  await page.goto(`${ledger.url}/#/trail/product/${PRODUCT}`);
  await page.getByTestId('proof-summary').waitFor();
  const context = page.context();
  // The same browser profile cannot span two origins' storage; the mirror
  // is checked on its own origin, pinning from its records, and must give
  // the very same anchor and proofs.
  const onMirror = await openPage(mirror.url);
  await onMirror.goto(`${mirror.url}/#/trail/product/${PRODUCT}`);
  await onMirror.getByTestId('proof-summary').waitFor();
  assert.equal(await onMirror.getByTestId('proof-bad').count(), 0);
  assert.equal(await onMirror.getByTestId('proof-summary').innerText(), await page.getByTestId('proof-summary').innerText());
  await onMirror.screenshot({ path: path.join(artifacts, 'mirror-trail.png'), fullPage: true });
  onMirror.checkClean();
  page.checkClean();
  await onMirror.context().close();
  await context.close();
});
