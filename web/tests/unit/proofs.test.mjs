// The page's checks of a proven trail answer (src/lib/proofs.js) and of
// tree heads (src/lib/tree-head.js), on a small log built here: a server
// may lie in any field, and the page must never show ✔ for what the
// signed log does not hold.
import { storage } from './memory-storage.mjs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, test } from 'node:test';
import {
  base64Encode,
  checkpointSigningInput,
  hexDecode,
  hexEncode,
  importPrivateKeyPem,
  importPublicKey,
  leafHashOfRecord,
  sha256,
  verifyConsistency,
} from '../../src/lib/ledger-crypto.js';

const { verifyProvenAnswer } = await import('../../src/lib/proofs.js');
const { acceptCheckpoint, knownTreeHead } = await import('../../src/lib/tree-head.js');

const vectors = JSON.parse(readFileSync(new URL('../../../fixtures/contract-vectors.json', import.meta.url)));
const pem = `-----BEGIN PRIVATE KEY-----\n${Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(vectors.ed25519_secret_hex, 'hex')]).toString('base64')}\n-----END PRIVATE KEY-----\n`;
const ENTITY = 'product:P-1';

async function node(left, right) {
  return sha256(new Uint8Array([1, ...left, ...right]));
}

// RFC 6962 MTH and PATH over leaf hashes (bytes).
async function mth(leaves) {
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(await mth(leaves.slice(0, k)), await mth(leaves.slice(k)));
}
async function path(m, leaves) {
  if (leaves.length === 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...(await path(m, leaves.slice(0, k))), await mth(leaves.slice(k))]
    : [...(await path(m - k, leaves.slice(k))), await mth(leaves.slice(0, k))];
}

// Seven records; seqs 1, 3, 5 are the product's own stream (versions 1-3),
// seq 2 a flag naming it; the trail holds 1, 2, 3, 5.
async function buildLog(size = 7) {
  const records = [];
  const heads = new Map();
  for (let seq = 0; seq < size; seq++) {
    const stream = [1, 3, 5].includes(seq) ? ENTITY : seq === 2 ? 'flag:F-1' : `outlet:C-${seq}`;
    const head = heads.get(stream);
    const record = {
      seq,
      recorded_at: `2020-09-05T02:15:0${seq}.000Z`,
      stream,
      stream_version: head ? head.version + 1 : 1,
      prev_stream_hash: head ? head.hash : '',
      event: { id: `e-${seq}`, type: 'sale.recorded', v: 1, occurred_at: '2020-09-05T10:15:00+08:00', key: 'op', body: { product_id: 'P-1', n: seq }, sig: 'x' },
    };
    record.leaf_hash = await leafHashOfRecord(record);
    heads.set(stream, { version: record.stream_version, hash: record.leaf_hash });
    records.push(record);
  }
  const leaves = records.map((r) => hexDecode(r.leaf_hash));
  const privateKey = await importPrivateKeyPem(pem);
  const checkpoint = { log_id: records[0].leaf_hash, tree_size: size, root_hash: hexEncode(await mth(leaves)), timestamp: '2020-09-05T02:16:00Z', key: 'test-key-1' };
  checkpoint.sig = base64Encode(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, checkpointSigningInput(checkpoint)));
  const proven = [];
  for (const seq of [1, 2, 3, 5].filter((s) => s < size)) {
    proven.push({ ...records[seq], proof: { tree_size: size, path: (await path(seq, leaves)).map(hexEncode) } });
  }
  const chain = proven.filter((r) => r.stream === ENTITY).map(({ seq, stream_version, leaf_hash, prev_stream_hash }) => ({ seq, stream_version, leaf_hash, prev_stream_hash }));
  const anchor = { log_id: checkpoint.log_id, key_id: 'test-key-1', publicKey: await importPublicKey(vectors.ed25519_public_b64) };
  return { answer: { entity: ENTITY, records: proven, next: null, checkpoint, chain }, anchor, leaves, records };
}

const clone = (value) => structuredClone(value);
beforeEach(() => storage.clear());

test('a whole, honest answer is proven record by record', async () => {
  const { answer, anchor } = await buildLog();
  const check = await verifyProvenAnswer(answer, anchor, { entity: ENTITY });
  assert.equal(check.ok, true, JSON.stringify(check));
  assert.deepEqual(check.results, [null, null, null, null]);
  assert.deepEqual(check.chain, { ok: true, length: 3, first: 1, last: 3 });
});

test('a forged record under a repeated seq is refused, not vouched for by its twin', async () => {
  const { answer, anchor } = await buildLog();
  const forged = clone(answer.records[2]);
  forged.event.body.n = 999; // leaf_hash, version and prev hash copied from the real one
  answer.records.splice(2, 0, forged);
  const check = await verifyProvenAnswer(answer, anchor, { entity: ENTITY });
  assert.equal(check.ok, false);
  assert.match(check.checkpointError, /重复或顺序错误/);
  assert.ok(check.results.every((e) => e !== null));
});

test('a record of the stream left out while its link is listed is caught', async () => {
  const { answer, anchor } = await buildLog();
  answer.records = answer.records.filter((r) => r.seq !== 3);
  const check = await verifyProvenAnswer(answer, anchor, { entity: ENTITY });
  assert.equal(check.ok, false);
  assert.match(check.chain.reason, /序号 3.*未显示/);
});

test('an answer about another entity, or without the chain, is refused', async () => {
  const { answer, anchor } = await buildLog();
  const other = await verifyProvenAnswer({ ...answer, entity: 'product:P-2' }, anchor, { entity: ENTITY });
  assert.equal(other.ok, false);
  assert.match(other.checkpointError, /不是所查的/);
  const chainless = await verifyProvenAnswer({ ...answer, chain: [] }, anchor, { entity: ENTITY });
  assert.equal(chainless.ok, false);
  assert.match(chainless.chain.reason, /缺少该实体的哈希链/);
  const broken = clone(answer);
  broken.chain[1].prev_stream_hash = '00'.repeat(32);
  assert.match((await verifyProvenAnswer(broken, anchor, { entity: ENTITY })).chain.reason, /哈希链断开/);
});

test('a later page needs the links from its start only', async () => {
  const { answer, anchor } = await buildLog();
  answer.records = answer.records.filter((r) => r.seq >= 4);
  const check = await verifyProvenAnswer(answer, anchor, { entity: ENTITY, pageStart: 4 });
  assert.equal(check.ok, true, JSON.stringify(check));
});

test('an altered proof, body or checkpoint is refused with its reason', async () => {
  const { answer, anchor } = await buildLog();
  const proof = clone(answer);
  proof.records[1].proof.path[0] = `${proof.records[1].proof.path[0][0] === '0' ? '1' : '0'}${proof.records[1].proof.path[0].slice(1)}`;
  const p = await verifyProvenAnswer(proof, anchor, { entity: ENTITY });
  assert.equal(p.ok, false);
  assert.match(p.results[1], /根哈希不符/);
  assert.equal(p.results[0], null);
  const body = clone(answer);
  body.records[0].event.body.n = 42;
  assert.match((await verifyProvenAnswer(body, anchor, { entity: ENTITY })).results[0], /叶哈希不符/);
  const cp = clone(answer);
  cp.checkpoint.tree_size += 1;
  assert.match((await verifyProvenAnswer(cp, anchor, { entity: ENTITY })).checkpointError, /签名无效/);
  const fork = await verifyProvenAnswer(answer, anchor, { entity: ENTITY, acceptCheckpoint: async () => { throw new Error('分叉'); } });
  assert.equal(fork.checkpointError, '分叉');
});

test('consistency proofs of the RFC 6962 reference tree verify, altered ones do not', async () => {
  const roots = vectors.merkle.roots;
  for (const c of vectors.merkle.consistency) {
    assert.equal(await verifyConsistency(c.first, c.second, roots[c.first], roots[c.second], c.path), true, `${c.first}->${c.second}`);
    if (c.path.length > 0) {
      const wrong = [...c.path];
      wrong[wrong.length - 1] = `${wrong.at(-1)[0] === '0' ? '1' : '0'}${wrong.at(-1).slice(1)}`;
      assert.equal(await verifyConsistency(c.first, c.second, roots[c.first], roots[c.second], wrong), false);
      assert.equal(await verifyConsistency(c.first, c.second, roots[c.second], roots[c.second], c.path), false);
    }
  }
});

test('the tree head only moves forward along consistent checkpoints', async () => {
  const { leaves, records } = await buildLog();
  const rootAt = async (n) => hexEncode(await mth(leaves.slice(0, n)));
  const head = async (n, root) => ({ log_id: records[0].leaf_hash, tree_size: n, root_hash: root ?? (await rootAt(n)) });
  // A consistency prover for this log, as the server answers it.
  async function subproof(m, d, complete) {
    if (m === d.length) return complete ? [] : [await mth(d)];
    let k = 1;
    while (k * 2 < d.length) k *= 2;
    return m <= k
      ? [...(await subproof(m, d.slice(0, k), complete)), await mth(d.slice(k))]
      : [...(await subproof(m - k, d.slice(k), false)), await mth(d.slice(0, k))];
  }
  const prover = async (first, second) => ({ path: (await subproof(first, leaves.slice(0, second), true)).map(hexEncode) });
  await acceptCheckpoint(await head(3), prover);
  assert.equal(knownTreeHead().tree_size, 3);
  await acceptCheckpoint(await head(7), prover);
  assert.equal(knownTreeHead().tree_size, 7);
  await acceptCheckpoint(await head(5), prover); // an older checkpoint: a prefix
  assert.equal(knownTreeHead().tree_size, 7);
  await assert.rejects(acceptCheckpoint(await head(7, '00'.repeat(32)), prover), /两个不同的根/);
  await assert.rejects(acceptCheckpoint(await head(6, '11'.repeat(32)), prover), /不一致/);
});
