// The supervisor page against a 国密 ledger: an SM3 log (`init --hash sm3`)
// loaded with a campaign `fupin-ledger generate --key-alg mixed` makes
// (every other key SM2, the admin's maybe). The page derives and shows the
// trust anchor — SM3, and the system key's algorithm as seq 0 states it
// (SM2 when the ledger's system key is SM2) — proves a trail with SM3
// proofs and the system key's checkpoint signature, and signs a flag
// resolution with an SM2 key file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { artifacts, cli, openLedgerPage, shot, TestLedger, TOKENS } from './ledger.mjs';

let ledger;
let browser;

const ALG_LABELS = { ed25519: 'Ed25519', sm2: 'SM2' };

// The CLI must know SM3 logs and mixed keys; otherwise this file cannot
// run, and says so rather than passing.
function cliSupports() {
  const init = spawnSync(cli, ['init', '--help'], { encoding: 'utf8' }).stdout ?? '';
  const generate = spawnSync(cli, ['generate', '--help'], { encoding: 'utf8' }).stdout ?? '';
  return init.includes('--hash') && generate.includes('--key-alg');
}

before(async () => {
  if (!cliSupports()) throw new Error(`${cli} has no init --hash or generate --key-alg: build the C++ first`);
  mkdirSync(artifacts, { recursive: true });
  ledger = await TestLedger.start({ hash: 'sm3', generated: { seed: 20200901, keyAlg: 'mixed' } });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});

after(async () => {
  await browser?.close();
  await ledger?.stop();
});

// The campaign's registered keys by id: {alg, public_key, roles, regions}.
function registeredKeys() {
  const keys = new Map();
  for (const line of ledger.events) {
    const event = JSON.parse(line);
    if (event.type === 'key.registered') keys.set(event.body.key_id, event.body);
  }
  return keys;
}

// The key file of a generated key (keys.json names it; by default ID.pem).
function keyFile(id) {
  const dir = path.join(ledger.campaignDir, 'keys');
  let listed = null;
  try {
    listed = JSON.parse(readFileSync(path.join(dir, 'keys.json'), 'utf8')).find((k) => k.id === id);
  } catch {
    // no keys.json: the file is named by the id
  }
  return path.join(dir, listed?.file ?? `${id}.pem`);
}

// SPKI PEM of a 65-byte SM2 point (id-ecPublicKey, curve 1.2.156.10197.1.301).
function sm2PublicPem(pointB64) {
  const der = Buffer.concat([Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex'), Buffer.from(pointB64, 'base64')]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
}

// Whether `openssl pkeyutl` verifies the event's SM2 signature (SM3, ID
// 1234567812345678) over the same signing input the page signed.
function opensslVerifiesEvent(event, pointB64, canonicalUnsigned) {
  const dir = ledger.dir;
  writeFileSync(path.join(dir, 'e2e-pub.pem'), sm2PublicPem(pointB64));
  writeFileSync(path.join(dir, 'e2e-msg'), `fupin-ledger/event/v1\n${canonicalUnsigned}`);
  writeFileSync(path.join(dir, 'e2e-sig'), Buffer.from(event.sig, 'base64'));
  const result = spawnSync('openssl', ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-pubin',
    '-inkey', path.join(dir, 'e2e-pub.pem'), '-in', path.join(dir, 'e2e-msg'), '-sigfile', path.join(dir, 'e2e-sig')], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('Signature Verified Successfully');
}

// RFC 8785 for the plain JSON of an event (strings, safe integers, arrays,
// objects), enough to rebuild the signing input outside the page.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

test('完整性 shows an SM3 / SM2 trust anchor and an SM2 checkpoint verified in the page', async () => {
  const genesis = await ledger.get('/v1/events/0');
  assert.equal(genesis.event.body.hash, 'sm3');
  const alg = ALG_LABELS[genesis.event.body.alg];
  assert.ok(alg, `seq 0's alg ${genesis.event.body.alg}`);
  const page = await openLedgerPage(browser, ledger.url);
  await page.click('nav a[data-page=integrity]');
  await page.getByTestId('checkpoint-ok').waitFor();
  const checkpoint = await ledger.get('/v1/checkpoint');
  assert.equal(checkpoint.hash, 'sm3');
  // The page pins the anchor while it checks the checkpoint, then shows it.
  assert.equal(await page.getByTestId('anchor-hash').innerText(), 'SM3');
  assert.equal(await page.getByTestId('anchor-alg').innerText(), alg);
  assert.equal(await page.getByTestId('checkpoint-hash').innerText(), 'SM3');
  const anchorText = await page.getByTestId('anchor').innerText();
  assert.match(anchorText, /哈希算法\s*SM3/);
  assert.match(anchorText, new RegExp(`系统密钥算法\\s*${alg}`));
  const pinned = await page.evaluate(() => JSON.parse(localStorage.getItem('fupin-ledger.trust-anchor')));
  assert.deepEqual(
    { log_id: pinned.log_id, hash: pinned.hash, alg: pinned.alg, public_key: pinned.public_key },
    { log_id: genesis.leaf_hash, hash: 'sm3', alg: genesis.event.body.alg, public_key: genesis.event.body.public_key },
  );
  await shot(page, 'gm-integrity');
  page.checkClean();
  await page.context().close();
});

test('审计轨迹 of an SM3 ledger: every record ✔ with SM3 proofs and the system key\'s checkpoint signature', async () => {
  const alg = ALG_LABELS[(await ledger.get('/v1/events/0')).event.body.alg];
  const product = ledger.events.map((l) => JSON.parse(l)).find((e) => e.type === 'product.certified')?.body.product_id;
  assert.ok(product, 'the generated campaign registers a product');
  const page = await openLedgerPage(browser, ledger.url);
  await page.goto(`${ledger.url}/#/trail/product/${product}`);
  await page.waitForSelector('[data-testid=trail-table]');
  const api = await ledger.get(`/v1/trail/product/${product}?proofs=1&limit=100`);
  assert.ok(api.records.length > 1);
  assert.equal(await page.getByTestId('proof-ok').count(), api.records.length);
  assert.equal(await page.getByTestId('proof-bad').count(), 0);
  assert.match(await page.getByTestId('proof-summary').innerText(), new RegExp(`本页已验证.*（SM3）.*（${alg}）`));
  assert.match(await page.getByTestId('chain-status').innerText(), /^✔ 实体哈希链完整/);
  await shot(page, 'gm-trail');
  page.checkClean();
  await page.context().close();
});

test('a flag resolution signed in the page with an SM2 key file is accepted', async () => {
  const keys = registeredKeys();
  const supervisors = [...keys.values()].filter((k) => k.alg === 'sm2' && (k.roles ?? []).includes('supervisor'));
  assert.ok(supervisors.length > 0, 'the mixed campaign has an SM2 supervisor key');
  // An open flag inside one SM2 supervisor's scope.
  let key = null;
  let flag = null;
  for (const candidate of supervisors) {
    for (const region of candidate.regions) {
      const open = await ledger.get(`/v1/flags?status=open&region=${region}&limit=10`);
      if (open.flags.length > 0) {
        key = candidate;
        flag = open.flags[0];
        break;
      }
    }
    if (flag) break;
  }
  assert.ok(flag, 'an open flag in an SM2 supervisor\'s scope');
  const pem = readFileSync(keyFile(key.key_id), 'utf8');
  assert.match(pem, /-----BEGIN PRIVATE KEY-----/);

  const page = await openLedgerPage(browser, ledger.url);
  // A tree head pinned before the append: the trail afterwards needs an
  // SM3 consistency proof from it.
  await page.click('nav a[data-page=integrity]');
  await page.getByTestId('checkpoint-ok').waitFor();
  const before = await page.evaluate(() => JSON.parse(localStorage.getItem('fupin-ledger.tree-head')));

  await page.goto(`${ledger.url}/#/flags/${encodeURIComponent(flag.flag_id)}`);
  await page.waitForSelector('form.resolve');
  await page.setInputFiles('#key-file', keyFile(key.key_id));
  await page.fill('#key-id', key.key_id);
  await page.fill('#note', '国密签名：已核实');
  await page.click('form.resolve button[type=submit]');
  await page.getByTestId('flag-status').getByText('已确认').waitFor({ timeout: 15_000 });
  const history = await ledger.get(`/v1/trail/flag/${encodeURIComponent(flag.flag_id)}`);
  const last = history.records.at(-1);
  assert.equal(last.event.type, 'flag.resolved');
  assert.equal(last.event.key, key.key_id);
  assert.deepEqual(last.event.body, { flag_id: flag.flag_id, resolution: 'confirmed', note: '国密签名：已核实' });
  // A DER SM2 signature (not a 64-byte Ed25519 one) that openssl verifies.
  assert.notEqual(Buffer.from(last.event.sig, 'base64').length, 64);
  const { sig: _sig, ...unsigned } = last.event;
  assert.equal(opensslVerifiesEvent(last.event, key.public_key, canonical(unsigned)), true);
  await shot(page, 'gm-flag-resolved');

  // The flag's trail, proven against a larger checkpoint consistent (SM3)
  // with the head pinned before.
  await page.goto(`${ledger.url}/#/trail/flag/${encodeURIComponent(flag.flag_id)}`);
  await page.waitForSelector('[data-testid=proof-summary]');
  assert.equal(await page.getByTestId('proof-bad').count(), 0);
  const after = await page.evaluate(() => JSON.parse(localStorage.getItem('fupin-ledger.tree-head')));
  assert.ok(after.tree_size > before.tree_size, `${after.tree_size} > ${before.tree_size}`);
  page.checkClean();
  await page.context().close();
});

test('a wrong SM2 key file for the key id is refused by the ledger, nothing written', async () => {
  const keys = registeredKeys();
  const sm2Keys = [...keys.values()].filter((k) => k.alg === 'sm2');
  const supervisor = [...keys.values()].find((k) => (k.roles ?? []).includes('supervisor') && k.regions.some((r) => r.endsWith('0000')));
  const other = sm2Keys.find((k) => k.key_id !== supervisor?.key_id);
  assert.ok(supervisor && other);
  const open = await ledger.get('/v1/flags?status=open&limit=1');
  assert.ok(open.flags.length > 0);
  const size = (await ledger.get('/v1/checkpoint')).tree_size;
  const page = await openLedgerPage(browser, ledger.url, { token: TOKENS.supervisor.token });
  await page.goto(`${ledger.url}/#/flags/${encodeURIComponent(open.flags[0].flag_id)}`);
  await page.waitForSelector('form.resolve');
  await page.setInputFiles('#key-file', keyFile(other.key_id));
  await page.fill('#key-id', supervisor.key_id);
  await page.fill('#note', '错误的密钥文件');
  await page.click('form.resolve button[type=submit]');
  await page.locator('[data-testid=resolve-status] .error').waitFor();
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a checkpoint would have been signed
  assert.equal((await ledger.get('/v1/checkpoint')).tree_size, size);
  page.checkClean();
  await page.context().close();
});
