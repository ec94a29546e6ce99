// 国密 in the page (src/lib/ledger-crypto.js, proofs.js, tree-head.js,
// trust.js): SM3 against GB/T 32905's examples and against OpenSSL's SM3
// (node:crypto) on a tree built by hand here; SM2 against the `openssl`
// command both ways, with the distinguishing ID "1234567812345678" and
// nothing else; SM2 key files as openssl writes them; a checkpoint of
// another hash than the anchor's refused.
import { storage } from './memory-storage.mjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { canonicalize } from '../../src/lib/jcs.js';
import {
  SM2_ID,
  Sm2PrivateKey,
  base64Encode,
  checkpointSigningInput,
  digest,
  eventSigningInput,
  hexDecode,
  hexEncode,
  importPrivateKeyPem,
  importPublicKey,
  leafHashOfData,
  leafHashOfRecord,
  privateKeyAlgorithm,
  rootFromInclusionProof,
  signEvent,
  sm2Verify,
  sm3,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyEventSignature,
  verifyInclusion,
} from '../../src/lib/ledger-crypto.js';

// api.js keeps its token in session storage; Node has none.
globalThis.sessionStorage = { getItem: () => 'test-token', setItem: () => {}, removeItem: () => {} };
const { checkCheckpoint, verifyProvenAnswer } = await import('../../src/lib/proofs.js');
const { acceptCheckpoint, knownTreeHead } = await import('../../src/lib/tree-head.js');
const { forgetAnchor, pinnedAnchor, trustAnchor } = await import('../../src/lib/trust.js');
beforeEach(() => {
  storage.clear();
  forgetAnchor();
});

const encoder = new TextEncoder();
const dir = mkdtempSync(path.join(tmpdir(), 'fupin-web-gm-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name) => path.join(dir, name);

function openssl(args) {
  const result = spawnSync('openssl', args, { maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
  return result;
}

// An SM2 key made by `openssl genpkey -algorithm SM2`: its PKCS#8 PEM, its
// SPKI PEM and its 65-byte point (the last 65 bytes of the 91-byte SPKI DER).
let keys = 0;
function opensslSm2Key() {
  const name = `sm2-${keys++}`;
  const pemFile = file(`${name}.pem`);
  const pubFile = file(`${name}.pub.pem`);
  openssl(['genpkey', '-algorithm', 'SM2', '-out', pemFile]);
  openssl(['pkey', '-in', pemFile, '-pubout', '-out', pubFile]);
  const spki = openssl(['pkey', '-in', pemFile, '-pubout', '-outform', 'DER']).stdout;
  assert.equal(spki.length, 91);
  return { pemFile, pubFile, pem: readFileSync(pemFile, 'utf8'), point: new Uint8Array(spki.subarray(26)) };
}

// `openssl pkeyutl -sign -rawin -digest sm3`, with the ID or (distid
// false) without one: OpenSSL 3.0 then uses the empty ID.
function opensslSign(key, message, distid = true) {
  writeFileSync(file('message'), message);
  const id = distid ? ['-pkeyopt', `distid:${SM2_ID}`] : [];
  return new Uint8Array(openssl(['pkeyutl', '-sign', '-rawin', '-digest', 'sm3', ...id, '-inkey', key.pemFile, '-in', file('message')]).stdout);
}

function opensslVerifies(key, message, signature) {
  writeFileSync(file('message'), message);
  writeFileSync(file('signature'), signature);
  const result = spawnSync('openssl', ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${SM2_ID}`,
    '-pubin', '-inkey', key.pubFile, '-in', file('message'), '-sigfile', file('signature')], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('Signature Verified Successfully');
}

// DER of the SM2 signature (r, s) given as BigInts, with extra leading
// zero bytes in r when asked (a non-minimal INTEGER).
function derSignature(r, s, padR = 0) {
  const int = (v, pad) => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
    const bytes = hexDecode('00'.repeat(pad) + hex);
    return [0x02, bytes.length, ...bytes];
  };
  const body = [...int(r, padR), ...int(s, 0)];
  return Uint8Array.from([0x30, body.length, ...body]);
}
function readDerSignature(der) {
  const rLen = der[3];
  const r = BigInt(`0x${hexEncode(der.subarray(4, 4 + rLen))}`);
  const s = BigInt(`0x${hexEncode(der.subarray(6 + rLen))}`);
  return { r, s };
}
const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

const flipBit = (bytes, at) => {
  const out = Uint8Array.from(bytes);
  out[at] ^= 0x01;
  return out;
};

// OpenSSL's SM3 (node:crypto), independent of the library the page uses.
const H = (...parts) => new Uint8Array(createHash('sm3').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest());
const leaf = (data) => H([0], data);
const node = (left, right) => H([1], left, right);

test('SM3 gives the examples of GB/T 32905 and the empty-input digest', async () => {
  assert.equal(hexEncode(await sm3(encoder.encode('abc'))), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(hexEncode(await sm3(encoder.encode('abcd'.repeat(16)))), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  assert.equal(hexEncode(await digest('sm3', encoder.encode('abc'))), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  // The empty tree's root of an SM3 log.
  assert.equal(hexEncode(await digest('sm3', new Uint8Array())), '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b');
  assert.equal(hexEncode(await digest('sha256', encoder.encode('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  await assert.rejects(digest('md5', encoder.encode('abc')), /不支持的哈希算法/);
  await assert.rejects(digest('constructor', encoder.encode('abc')), /不支持的哈希算法/);
});

test('SM3 leaf hashes, inclusion and consistency proofs match a tree built by hand', async () => {
  const data = Array.from({ length: 7 }, (_, i) => encoder.encode(`leaf-${i}`));
  const l = data.map(leaf);
  for (let i = 0; i < 7; i++) assert.deepEqual(await leafHashOfData(data[i], 'sm3'), l[i]);
  // The RFC 9162 tree of seven leaves, node by node.
  const a01 = node(l[0], l[1]);
  const a23 = node(l[2], l[3]);
  const a45 = node(l[4], l[5]);
  const b03 = node(a01, a23);
  const b46 = node(a45, l[6]);
  const root7 = hexEncode(node(b03, b46));
  const root3 = hexEncode(node(a01, l[2]));
  const root4 = hexEncode(b03);
  const hex = (...nodes) => nodes.map(hexEncode);
  const inclusion = [
    [2, hex(l[3], a01, b46)],
    [4, hex(l[5], l[6], b03)],
    [6, hex(a45, b03)],
  ];
  for (const [index, proof] of inclusion) {
    assert.equal(await rootFromInclusionProof(index, 7, hexEncode(l[index]), proof, 'sm3'), root7);
    assert.equal(await verifyInclusion(index, 7, hexEncode(l[index]), proof, root7, 'sm3'), true);
    // The same proof under SHA-256 leads elsewhere.
    assert.equal(await verifyInclusion(index, 7, hexEncode(l[index]), proof, root7, 'sha256'), false);
    assert.equal(await verifyInclusion(index, 7, hexEncode(l[index]), [...proof.slice(0, -1), hexEncode(flipBit(hexDecode(proof.at(-1)), 31))], root7, 'sm3'), false);
  }
  assert.equal(await verifyConsistency(3, 7, root3, root7, hex(l[2], l[3], a01, b46), 'sm3'), true);
  assert.equal(await verifyConsistency(4, 7, root4, root7, hex(b46), 'sm3'), true);
  assert.equal(await verifyConsistency(3, 7, root3, root7, hex(l[2], l[3], a01, b46), 'sha256'), false);
  assert.equal(await verifyConsistency(3, 7, root3, root7, hex(l[2], l[3], a23, b46), 'sm3'), false);
  await assert.rejects(verifyConsistency(3, 7, root3, root7, hex(l[2], l[3], a01, b46), 'sm2'), /不支持的哈希算法/);
});

test('an SM3 record leaf hash is SM3(0x00 ‖ JCS of the record)', async () => {
  const record = { seq: 3, recorded_at: '2020-09-05T02:15:01.123Z', stream: 'outlet:C-1', stream_version: 1, prev_stream_hash: '', event: { id: 'e', type: 'outlet.opened', v: 1, occurred_at: '2020-09-05T10:15:00+08:00', key: 'op', body: { 名: '专柜' }, sig: 'x' } };
  const canonical = '{"event":{"body":{"名":"专柜"},"id":"e","key":"op","occurred_at":"2020-09-05T10:15:00+08:00","sig":"x","type":"outlet.opened","v":1},"prev_stream_hash":"","recorded_at":"2020-09-05T02:15:01.123Z","seq":3,"stream":"outlet:C-1","stream_version":1}';
  assert.equal(await leafHashOfRecord(record, 'sm3'), hexEncode(leaf(encoder.encode(canonical))));
  assert.notEqual(await leafHashOfRecord(record, 'sm3'), await leafHashOfRecord(record));
});

const unsignedEvent = { id: '0b5e2f4c-3d1a-4e8b-9c7d-2a1b3c4d5e6f', type: 'flag.resolved', v: 1, occurred_at: '2020-09-30T10:15:00+08:00', key: 'supervisor-430000-1', body: { flag_id: 'F-1', resolution: 'dismissed', note: '已核实为误报' } };

test('an SM2 signature made by openssl with the ID verifies; empty ID, flipped bits, a wrong key do not', async () => {
  const key = opensslSm2Key();
  const publicKey = await importPublicKey(base64Encode(key.point), 'sm2');
  const message = eventSigningInput(unsignedEvent);
  const signature = opensslSign(key, message);
  assert.equal(sm2Verify(publicKey, signature, message), true);
  assert.equal(sm2Verify(key.point, signature, message), true);
  assert.equal(await verifyEventSignature({ ...unsignedEvent, sig: base64Encode(signature) }, publicKey), true);
  // OpenSSL 3.0 without distid signs with an empty ID: not ours.
  const emptyId = opensslSign(key, message, false);
  assert.equal(opensslVerifies(key, message, emptyId), false);
  assert.equal(await verifyEventSignature({ ...unsignedEvent, sig: base64Encode(emptyId) }, publicKey), false);
  for (const at of [8, signature.length - 1]) assert.equal(sm2Verify(publicKey, flipBit(signature, at), message), false);
  assert.equal(await verifyEventSignature({ ...unsignedEvent, body: { ...unsignedEvent.body, resolution: 'confirmed' }, sig: base64Encode(signature) }, publicKey), false);
  assert.equal(sm2Verify(publicKey, signature, flipBit(message, 0)), false);
  const other = await importPublicKey(base64Encode(opensslSm2Key().point), 'sm2');
  assert.equal(sm2Verify(other, signature, message), false);
  // An Ed25519 key and an SM2 signature, or the reverse, are not mixed up.
  assert.equal(await verifyEventSignature({ ...unsignedEvent, sig: base64Encode(signature) }, await importPublicKey(base64Encode(new Uint8Array(32).fill(7)))), false);
  assert.equal(await verifyEventSignature({ ...unsignedEvent, sig: 'not base64!' }, publicKey), false);
});

test('SM2 signatures are read as strict DER with 1 ≤ r, s < n, as OpenSSL reads them', () => {
  const key = opensslSm2Key();
  const message = encoder.encode('strict');
  const signature = opensslSign(key, message);
  const { r, s } = readDerSignature(signature);
  assert.deepEqual(derSignature(r, s), signature);
  assert.equal(sm2Verify(key.point, derSignature(r, s), message), true);
  // A non-minimal INTEGER or a trailing byte: the library alone would accept both.
  assert.equal(sm2Verify(key.point, derSignature(r, s, 1), message), false);
  assert.equal(sm2Verify(key.point, Uint8Array.from([...signature, 0]), message), false);
  assert.equal(sm2Verify(key.point, signature.subarray(0, signature.length - 1), message), false);
  // s + n is the same residue: a malleated signature.
  assert.equal(sm2Verify(key.point, derSignature(r, s + SM2_N), message), false);
  assert.equal(sm2Verify(key.point, derSignature(r + SM2_N, s), message), false);
  assert.equal(sm2Verify(key.point, derSignature(0n, s), message), false);
  assert.equal(sm2Verify(key.point, new Uint8Array(64), message), false);
  assert.equal(sm2Verify(key.point, new Uint8Array(), message), false);
});

test('an off-curve or malformed SM2 key is refused without throwing, and refused on import', async () => {
  const key = opensslSm2Key();
  const message = encoder.encode('off curve');
  const signature = opensslSign(key, message);
  const offCurve = flipBit(key.point, 64);
  assert.doesNotThrow(() => sm2Verify(offCurve, signature, message));
  assert.equal(sm2Verify(offCurve, signature, message), false);
  assert.equal(sm2Verify(key.point.subarray(0, 33), signature, message), false);
  assert.equal(sm2Verify(Uint8Array.from([0x02, ...key.point.subarray(1)]), signature, message), false);
  assert.equal(sm2Verify(new Uint8Array(65), signature, message), false);
  await assert.rejects(importPublicKey(base64Encode(offCurve), 'sm2'), /不是曲线上的点/);
  await assert.rejects(importPublicKey(base64Encode(key.point.subarray(1)), 'sm2'), /65 字节/);
  await assert.rejects(importPublicKey(base64Encode(key.point), 'rsa'), /不支持的密钥算法/);
});

test('an openssl SM2 key file signs in the page, and openssl verifies it', async () => {
  const key = opensslSm2Key();
  const privateKey = await importPrivateKeyPem(key.pem);
  assert.ok(privateKey instanceof Sm2PrivateKey);
  assert.equal(privateKeyAlgorithm(privateKey), 'SM2');
  // The point read from (and checked against) the file is openssl's.
  assert.equal(privateKey.publicKeyHex, hexEncode(key.point));
  assert.equal(Object.keys(privateKey).includes('d'), false);
  assert.doesNotMatch(JSON.stringify(privateKey), /"d"/);
  const publicKey = await importPublicKey(base64Encode(key.point), 'sm2');
  for (let i = 0; i < 3; i++) {
    const signed = await signEvent({ ...unsignedEvent, id: `${unsignedEvent.id.slice(0, -1)}${i}` }, privateKey);
    const signature = Uint8Array.from(Buffer.from(signed.sig, 'base64'));
    assert.equal(opensslVerifies(key, eventSigningInput(signed), signature), true);
    assert.equal(opensslVerifies(key, flipBit(eventSigningInput(signed), 3), signature), false);
    assert.equal(await verifyEventSignature(signed, publicKey), true);
  }
});

test('SM2 PKCS#8 without the public point derives it; other keys are refused in Chinese', async () => {
  const key = opensslSm2Key();
  // The scalar from openssl's own text dump, rebuilt into a minimal PKCS#8
  // (ECPrivateKey with d only).
  const text = openssl(['pkey', '-in', key.pemFile, '-noout', '-text']).stdout.toString();
  const d = /priv:\s*([\s\S]*?)\s*pub:/.exec(text)[1].replace(/[\s:]/g, '').replace(/^00(?=[0-9a-f]{64}$)/, '').padStart(64, '0');
  const ecPrivateKey = `302502010104${'20'}${d}`;
  const algorithm = '301306072a8648ce3d020106082a811ccf5501822d';
  const inner = `04${(ecPrivateKey.length / 2).toString(16)}${ecPrivateKey}`;
  const body = `020100${algorithm}${inner}`;
  const pkcs8 = `30${(body.length / 2).toString(16)}${body}`;
  const pem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(pkcs8, 'hex').toString('base64')}\n-----END PRIVATE KEY-----\n`;
  writeFileSync(file('minimal.pem'), pem);
  openssl(['pkey', '-in', file('minimal.pem'), '-noout']); // openssl reads it too
  const derived = await importPrivateKeyPem(pem);
  assert.equal(derived.publicKeyHex, hexEncode(key.point));
  const signed = await signEvent(unsignedEvent, derived);
  assert.equal(opensslVerifies(key, eventSigningInput(signed), Uint8Array.from(Buffer.from(signed.sig, 'base64'))), true);

  // A file whose public point is not d·G.
  const der = Buffer.from(key.pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  const tampered = Uint8Array.from(der);
  tampered[tampered.length - 1] ^= 1;
  await assert.rejects(importPrivateKeyPem(`-----BEGIN PRIVATE KEY-----\n${Buffer.from(tampered).toString('base64')}\n-----END PRIVATE KEY-----\n`), /公钥与私钥不符/);

  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('p256.pem')]);
  await assert.rejects(importPrivateKeyPem(readFileSync(file('p256.pem'), 'utf8')), /不支持的椭圆曲线（OID 1\.2\.840\.10045\.3\.1\.7）/);
  openssl(['genpkey', '-algorithm', 'ED448', '-out', file('ed448.pem')]);
  await assert.rejects(importPrivateKeyPem(readFileSync(file('ed448.pem'), 'utf8')), /不支持的私钥算法（OID 1\.3\.101\.113）/);
  openssl(['ec', '-in', key.pemFile, '-out', file('sec1.pem')]);
  await assert.rejects(importPrivateKeyPem(readFileSync(file('sec1.pem'), 'utf8')), /SEC1/);
  await assert.rejects(importPrivateKeyPem('-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n'), /无法解析 PKCS#8 私钥/);
  // Ed25519 files still import into WebCrypto.
  openssl(['genpkey', '-algorithm', 'ED25519', '-out', file('ed25519.pem')]);
  const ed = await importPrivateKeyPem(readFileSync(file('ed25519.pem'), 'utf8'));
  assert.equal(privateKeyAlgorithm(ed), 'Ed25519');
  assert.equal(ed.extractable, false);
});

// A small SM3 log with an SM2 system key: seqs 1, 3, 5 on the product's
// stream, the checkpoint signed with the openssl-made key (`hash` signed).
const ENTITY = 'product:P-1';
async function buildSm3Log(key) {
  const privateKey = await importPrivateKeyPem(key.pem);
  const records = [];
  const heads = new Map();
  for (let seq = 0; seq < 7; seq++) {
    const stream = [1, 3, 5].includes(seq) ? ENTITY : `outlet:C-${seq}`;
    const head = heads.get(stream);
    const record = {
      seq,
      recorded_at: `2020-09-05T02:15:0${seq}.000Z`,
      stream,
      stream_version: head ? head.version + 1 : 1,
      prev_stream_hash: head ? head.hash : '',
      event: { id: `e-${seq}`, type: 'sale.recorded', v: 1, occurred_at: '2020-09-05T10:15:00+08:00', key: 'op', body: { product_id: 'P-1', n: seq }, sig: 'x' },
    };
    record.leaf_hash = hexEncode(leaf(encoder.encode(canonicalize(record))));
    heads.set(stream, { version: record.stream_version, hash: record.leaf_hash });
    records.push(record);
  }
  const l = records.map((r) => hexDecode(r.leaf_hash));
  const a01 = node(l[0], l[1]);
  const a23 = node(l[2], l[3]);
  const a45 = node(l[4], l[5]);
  const b03 = node(a01, a23);
  const b46 = node(a45, l[6]);
  const paths = { 1: [l[0], a23, b46], 3: [l[2], a01, b46], 5: [l[4], l[6], b03] };
  const sign = (checkpoint) => ({ ...checkpoint, sig: base64Encode(privateKey.sign(checkpointSigningInput(checkpoint))) });
  const checkpoint = sign({ log_id: records[0].leaf_hash, tree_size: 7, root_hash: hexEncode(node(b03, b46)), timestamp: '2020-09-05T02:16:00Z', key: 'system-1', hash: 'sm3' });
  const proven = [1, 3, 5].map((seq) => ({ ...records[seq], proof: { tree_size: 7, path: paths[seq].map(hexEncode) } }));
  const chain = proven.map(({ seq, stream_version, leaf_hash, prev_stream_hash }) => ({ seq, stream_version, leaf_hash, prev_stream_hash }));
  const anchor = { log_id: checkpoint.log_id, hash: 'sm3', alg: 'sm2', key_id: 'system-1', publicKey: await importPublicKey(base64Encode(key.point), 'sm2') };
  return { answer: { entity: ENTITY, records: proven, next: null, checkpoint, chain }, anchor, sign, roots: { 3: hexEncode(node(a01, l[2])), 7: checkpoint.root_hash }, consistency: [l[2], l[3], a01, b46].map(hexEncode) };
}

test('an SM3 log with an SM2 system key: the proven answer verifies, under SHA-256 it does not', async () => {
  const { answer, anchor } = await buildSm3Log(opensslSm2Key());
  const check = await verifyProvenAnswer(answer, anchor, { entity: ENTITY });
  assert.equal(check.ok, true, JSON.stringify(check));
  assert.deepEqual(check.results, [null, null, null]);
  const altered = structuredClone(answer);
  altered.records[1].event.body.n = 99;
  assert.match((await verifyProvenAnswer(altered, anchor, { entity: ENTITY })).results[1], /叶哈希不符/);
});

test('a checkpoint whose hash differs from the anchor\'s is refused', async () => {
  const { answer, anchor, sign } = await buildSm3Log(opensslSm2Key());
  const accept = async () => {};
  assert.equal((await checkCheckpoint(answer.checkpoint, anchor, { acceptCheckpoint: accept })).error, null);
  // Re-signed without `hash` (a SHA-256 checkpoint) for the SM3 anchor.
  const { hash: _hash, sig: _sig, ...rest } = answer.checkpoint;
  const sha = sign(rest);
  assert.equal(await verifyCheckpointSignature(sha, anchor.publicKey), true);
  assert.match((await checkCheckpoint(sha, anchor, { acceptCheckpoint: accept })).error, /检查点的哈希算法（SHA-256）与信任锚的（SM3）不符/);
  const refused = await verifyProvenAnswer({ ...answer, checkpoint: sha }, anchor, { entity: ENTITY });
  assert.equal(refused.ok, false);
  assert.match(refused.checkpointError, /哈希算法/);
  // An SM3 checkpoint for a SHA-256 anchor (and an old anchor without hash).
  assert.match((await checkCheckpoint(answer.checkpoint, { ...anchor, hash: 'sha256' }, { acceptCheckpoint: accept })).error, /（SM3）与信任锚的（SHA-256）不符/);
  const { hash: _h, ...oldAnchor } = anchor;
  assert.match((await checkCheckpoint(answer.checkpoint, oldAnchor, { acceptCheckpoint: accept })).error, /哈希算法/);
  // "sha256" is never written: that second form of a SHA-256 checkpoint is refused.
  assert.match((await checkCheckpoint({ ...sha, hash: 'sha256' }, { ...anchor, hash: 'sha256' }, { acceptCheckpoint: accept })).error, /hash 字段 "sha256" 无效/);
  // `hash` is signed: dropping it from a signed SM3 checkpoint breaks the signature.
  const { hash: _x, ...stripped } = answer.checkpoint;
  assert.equal(await verifyCheckpointSignature(stripped, anchor.publicKey), false);
});

test('the tree head of an SM3 log moves forward along SM3 consistency proofs', async () => {
  const { answer, roots, consistency } = await buildSm3Log(opensslSm2Key());
  const head = (n, root) => ({ log_id: answer.checkpoint.log_id, tree_size: n, root_hash: root ?? roots[n], hash: 'sm3' });
  const prover = async (first, second) => {
    assert.deepEqual([first, second], [3, 7]);
    return { path: consistency };
  };
  await acceptCheckpoint(head(3), prover);
  await acceptCheckpoint(head(7), prover);
  assert.equal(knownTreeHead().tree_size, 7);
  storage.clear();
  await acceptCheckpoint(head(3), prover);
  // The same proof read as SHA-256 does not hold.
  await assert.rejects(acceptCheckpoint({ ...head(7), hash: undefined }, prover), /不一致/);
});

// Seq 0 of an SM3 ledger with an SM2 system key, as GET /v1/events/0 serves it.
async function seqZero(key, { hash = 'sm3', leafWith = hash, emptyId = false } = {}) {
  const privateKey = await importPrivateKeyPem(key.pem);
  const body = { key_id: 'system-1', alg: 'sm2', public_key: base64Encode(key.point), roles: ['system'], regions: ['000000'] };
  if (hash !== 'sha256') body.hash = hash;
  const unsigned = { id: '00000000-0000-4000-8000-000000000000', type: 'key.registered', v: 1, occurred_at: '2020-09-01T00:00:00+08:00', key: 'system-1', body };
  const event = emptyId
    ? { ...unsigned, sig: base64Encode(opensslSign(key, eventSigningInput(unsigned), false)) }
    : await signEvent(unsigned, privateKey);
  const record = { seq: 0, recorded_at: '2020-08-31T16:00:00.000Z', stream: 'key:system-1', stream_version: 1, prev_stream_hash: '', event };
  record.leaf_hash = await leafHashOfRecord(record, leafWith);
  return record;
}
function serve(record) {
  globalThis.fetch = async (url) => {
    assert.equal(url, '/v1/events/0');
    return new Response(JSON.stringify(record), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
}

test('the trust anchor of an SM3 ledger records SM3 and SM2, and seq 0 is hashed with its own declared hash', async () => {
  const key = opensslSm2Key();
  const record = await seqZero(key);
  assert.equal(record.leaf_hash, await leafHashOfRecord(record, 'sm3'));
  serve(record);
  const anchor = await trustAnchor();
  assert.equal(anchor.hash, 'sm3');
  assert.equal(anchor.alg, 'sm2');
  assert.equal(anchor.log_id, record.leaf_hash);
  assert.deepEqual(pinnedAnchor(), { log_id: record.leaf_hash, hash: 'sm3', alg: 'sm2', key_id: 'system-1', public_key: base64Encode(key.point) });

  // A seq 0 that declares SM3 but whose leaf hash is SHA-256 proves nothing.
  forgetAnchor();
  serve(await seqZero(key, { leafWith: 'sha256' }));
  await assert.rejects(trustAnchor(), /叶哈希与其内容不符/);
  // Signed with the empty ID (openssl without distid): refused.
  forgetAnchor();
  serve(await seqZero(key, { emptyId: true }));
  await assert.rejects(trustAnchor(), /自签名无效/);
  forgetAnchor();
  serve(await seqZero(key, { hash: 'md5', leafWith: 'sm3' }));
  await assert.rejects(trustAnchor(), /哈希算法 "md5" 不受支持/);
});

test('a pinned anchor from before (no hash, no alg) means SHA-256 and Ed25519', async () => {
  const key = opensslSm2Key();
  const sha = await seqZero(key, { hash: 'sha256' });
  serve(sha);
  // An old pin of this ledger: accepted, then rewritten whole.
  localStorage.setItem('fupin-ledger.trust-anchor', JSON.stringify({ log_id: sha.leaf_hash, key_id: 'system-1', public_key: base64Encode(key.point) }));
  await assert.rejects(trustAnchor(), /本浏览器信任的账本/); // the pin says Ed25519; this system key is SM2
  forgetAnchor();
  localStorage.setItem('fupin-ledger.trust-anchor', JSON.stringify({ log_id: sha.leaf_hash, key_id: 'system-1', public_key: base64Encode(key.point), alg: 'sm2' }));
  const anchor = await trustAnchor();
  assert.equal(anchor.hash, 'sha256');
  assert.equal(pinnedAnchor().hash, 'sha256');
  // A pin of the SHA-256 ledger against an SM3 seq 0: another ledger.
  forgetAnchor();
  localStorage.setItem('fupin-ledger.trust-anchor', JSON.stringify({ log_id: sha.leaf_hash, key_id: 'system-1', public_key: base64Encode(key.point), hash: 'sha256', alg: 'sm2' }));
  serve(await seqZero(key));
  await assert.rejects(trustAnchor(), /本浏览器信任的账本/);
});
