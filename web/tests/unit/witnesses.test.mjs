// The page's checks of witness cosignatures (src/lib/witnesses.js) against
// the public tlog-cosignature v1.0.1 vector of sigsum-go
// (pkg/checkpoint/checkpoint_test.go): witness example.org/witness, key ID
// cacf2e50, timestamp 1234, checkpoint example.org/log of size 10.
import './memory-storage.mjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64Decode, hexEncode } from '../../src/lib/ledger-crypto.js';

const { checkpointText, judgeCosignatures, keyId, parseCosignerVkey, witnessRefusal } = await import('../../src/lib/witnesses.js');

const VKEY = 'example.org/witness+cacf2e50+BGbguFjkYqYJ5m/nE3DIFtiEb/ED1UmaIqf+w3/bxCSn';
const LINE_B64 = 'ys8uUAAAAAAAAATSftMzceM8zssdZ9jin9SjwIxzx9iADMf63VqirX2hafol9RsqNqbofIz0LVRqHXI2kpEBSki5RTXFtxz1vo9+Cg==';
const ROOT_HEX = hexEncode(base64Decode('HA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='));

function checkpoint(overrides = {}) {
  const blob = base64Decode(LINE_B64);
  return {
    origin: 'example.org/log',
    tree_size: 10,
    root_hash: ROOT_HEX,
    cosignatures: [{ name: 'example.org/witness', key_id: 'cacf2e50', timestamp: 1234, sig: Buffer.from(blob.slice(12)).toString('base64') }],
    ...overrides,
  };
}

const pinned = { quorum: 1, witnesses: [{ name: 'example.org/witness', vkey: VKEY }] };

test('the checkpoint text is origin, size and base64 root', () => {
  assert.equal(checkpointText('example.org/log', 10, ROOT_HEX), 'example.org/log\n10\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n');
});

test('a cosigner vkey parses and its key ID is recomputed', async () => {
  const w = await parseCosignerVkey(VKEY);
  assert.equal(w.name, 'example.org/witness');
  assert.equal(w.keyId, 'cacf2e50');
  assert.equal(await keyId(w.name, 0x04, w.publicKey), 'cacf2e50');
  await assert.rejects(parseCosignerVkey(VKEY.replace('cacf2e50', 'cacf2e51')), /密钥编号不符/);
  await assert.rejects(parseCosignerVkey('example.org/log+809da1a3+AWbguFjkYqYJ5m/nE3DIFtiEb/ED1UmaIqf+w3/bxCSn'), /不是见证者联署公钥/);
});

test('the public sigsum cosignature verifies and meets a quorum of one', async () => {
  const judgement = await judgeCosignatures(checkpoint(), pinned);
  assert.equal(judgement.ok, true, JSON.stringify(judgement));
  assert.deepEqual(judgement.cosigners, [{ name: 'example.org/witness', timestamp: 1234 }]);
  assert.equal(witnessRefusal(judgement), null);
});

test('a cosignature over another size or time is invalid and refuses the checkpoint', async () => {
  const moved = await judgeCosignatures(checkpoint({ tree_size: 11 }), pinned);
  assert.equal(moved.ok, false);
  assert.deepEqual(moved.invalid, ['example.org/witness']);
  assert.match(witnessRefusal(moved), /见证联署无效/);
  const late = checkpoint();
  late.cosignatures[0].timestamp = 1235;
  assert.equal((await judgeCosignatures(late, pinned)).ok, false);
});

test('a checkpoint below the pinned quorum is refused, naming who is missing', async () => {
  const judgement = await judgeCosignatures(checkpoint({ cosignatures: [] }), pinned);
  assert.equal(judgement.ok, false);
  assert.deepEqual(judgement.missing, ['example.org/witness']);
  assert.match(witnessRefusal(judgement), /需 1 个，缺少：example.org\/witness/);
});

test('cosignatures of unknown witnesses are ignored', async () => {
  const stranger = checkpoint();
  stranger.cosignatures.push({ name: 'stranger', key_id: '00000000', timestamp: 1, sig: 'AAAA' });
  assert.equal((await judgeCosignatures(stranger, pinned)).ok, true);
});

test('a ledger without witnesses needs no cosignature', async () => {
  const judgement = await judgeCosignatures({ tree_size: 3, root_hash: ROOT_HEX }, { quorum: 0, witnesses: [] });
  assert.equal(judgement.ok, true);
});
