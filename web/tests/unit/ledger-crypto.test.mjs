// The page's own verification code against the contract vectors of
// SPEC §8 (fixtures/contract-vectors.json), produced by an independent
// implementation: every value must come out byte for byte.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { canonicalize } from '../../src/lib/jcs.js';
import {
  base64Decode,
  checkpointSigningInput,
  eventSigningInput,
  hexDecode,
  hexEncode,
  importPrivateKeyPem,
  importPublicKey,
  leafDataOfRecord,
  leafHashOfData,
  leafHashOfRecord,
  rootFromInclusionProof,
  signEvent,
  verifyCheckpointSignature,
  verifyEventSignature,
  verifyInclusion,
} from '../../src/lib/ledger-crypto.js';

const vectors = JSON.parse(readFileSync(new URL('../../../fixtures/contract-vectors.json', import.meta.url)));
const decoder = new TextDecoder();

// PKCS#8 of an Ed25519 seed (RFC 8410 §7): a fixed 16-byte prefix.
function pkcs8Pem(seedHex) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seedHex, 'hex')]);
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
}

test('canonical forms equal the vectors', () => {
  for (const c of vectors.canonical) assert.equal(canonicalize(c.input), c.canonical_utf8);
});

test('canonicalize refuses fractions and unsafe integers', () => {
  assert.throws(() => canonicalize({ a: 1.5 }), /安全整数/);
  assert.throws(() => canonicalize({ a: 2 ** 53 }), /安全整数/);
});

test('event signing input, signature and signing equal the vectors', async () => {
  const publicKey = await importPublicKey(vectors.ed25519_public_b64);
  const privateKey = await importPrivateKeyPem(pkcs8Pem(vectors.ed25519_secret_hex));
  for (const e of vectors.events) {
    assert.equal(decoder.decode(eventSigningInput(e.unsigned)), e.signing_input_utf8);
    assert.equal(await verifyEventSignature(e.signed, publicKey), true);
    // Ed25519 is deterministic: the page's signature is the vector's.
    assert.deepEqual(await signEvent(e.unsigned, privateKey), e.signed);
    const altered = { ...e.signed, body: { ...e.signed.body, amount_fen: e.signed.body.amount_fen + 1 } };
    assert.equal(await verifyEventSignature(altered, publicKey), false);
  }
});

test('leaf data and leaf hash of a record equal the vectors', async () => {
  for (const r of vectors.records) {
    assert.equal(decoder.decode(leafDataOfRecord(r.record)), r.leaf_data_utf8);
    assert.equal(await leafHashOfRecord(r.record), r.record.leaf_hash);
    const altered = { ...r.record, stream_version: r.record.stream_version + 1 };
    assert.notEqual(await leafHashOfRecord(altered), r.record.leaf_hash);
  }
});

test('RFC 6962 inclusion paths lead to the reference roots', async () => {
  const leaves = await Promise.all(vectors.merkle.leaf_data_hex.map(async (d) => hexEncode(await leafHashOfData(hexDecode(d)))));
  assert.ok(vectors.merkle.inclusion.length > 0);
  for (const p of vectors.merkle.inclusion) {
    const root = vectors.merkle.roots[String(p.tree_size)];
    assert.equal(await rootFromInclusionProof(p.seq, p.tree_size, leaves[p.seq], p.path), root);
    if (p.path.length > 0) {
      const wrong = [...p.path];
      wrong[0] = wrong[0].replace(/^./, (c) => (c === '0' ? '1' : '0'));
      assert.equal(await verifyInclusion(p.seq, p.tree_size, leaves[p.seq], wrong, root), false);
      await assert.rejects(rootFromInclusionProof(p.seq, p.tree_size, leaves[p.seq], p.path.slice(1)), /过短/);
    }
  }
  await assert.rejects(rootFromInclusionProof(8, 8, leaves[0], []), /不在/);
});

test('the checkpoint signature verifies, and fails when altered', async () => {
  const publicKey = await importPublicKey(vectors.ed25519_public_b64);
  const cp = vectors.checkpoint;
  assert.match(decoder.decode(checkpointSigningInput(cp)), /^fupin-ledger\/checkpoint\/v1\n\{"key":/);
  assert.equal(await verifyCheckpointSignature(cp, publicKey), true);
  assert.equal(await verifyCheckpointSignature({ ...cp, tree_size: cp.tree_size + 1 }, publicKey), false);
  assert.equal(base64Decode(cp.sig).length, 64);
});

test('a file that is not a PKCS#8 PEM is refused with a reason', async () => {
  await assert.rejects(importPrivateKeyPem('hello'), /PKCS#8 PEM/);
});
