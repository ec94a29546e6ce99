// Witnessed checkpoints in the page (C2SP signed-note v1.0.0,
// tlog-checkpoint v1.0.0, tlog-cosignature v1.0.1): the witness set and its
// quorum are pinned on first use beside the trust anchor, and every
// checkpoint the page accepts must carry valid cosignatures from at least
// the pinned quorum of pinned witnesses. WebCrypto only (SHA-256, Ed25519).
import { getJson } from './api.js';
import { base64Decode, base64Encode, concat, hexDecode, sha256 } from './ledger-crypto.js';
import { readStored, writeStored } from './storage.js';

const PIN_KEY = 'fupin-ledger.witnesses';
const COSIGNER_TYPE = 0x04;
const encoder = new TextEncoder();

function hex8(bytes) {
  return Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
}

// signed-note §"Signatures": key ID = SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4].
export async function keyId(name, type, publicKey) {
  return hex8(await sha256(concat(encoder.encode(name), Uint8Array.of(0x0a, type), publicKey)));
}

// "<name>+<hex key id>+<base64(type ‖ key)>" of a cosigner (type 0x04);
// split at the first two '+' only (base64 may hold '+'); the key ID must be
// the recomputed one. Throws with the reason.
export async function parseCosignerVkey(vkey) {
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw new Error(`见证者公钥格式错误：${vkey}`);
  const name = vkey.slice(0, first);
  const id = vkey.slice(first + 1, second);
  const blob = base64Decode(vkey.slice(second + 1));
  if (blob.length !== 33 || blob[0] !== COSIGNER_TYPE) throw new Error(`不是见证者联署公钥：${name}`);
  const publicKey = blob.slice(1);
  if ((await keyId(name, COSIGNER_TYPE, publicKey)) !== id) throw new Error(`见证者公钥 ${name} 的密钥编号不符`);
  return { name, keyId: id, publicKey };
}

// tlog-checkpoint §"Note text".
export function checkpointText(origin, treeSize, rootHex) {
  return `${origin}\n${treeSize}\n${base64Encode(hexDecode(rootHex))}\n`;
}

async function verifyCosignature(witness, text, cosignature) {
  if (cosignature.name !== witness.name || cosignature.key_id !== witness.keyId) return null;
  const message = encoder.encode(`cosignature/v1\ntime ${cosignature.timestamp}\n${text}`);
  const key = await crypto.subtle.importKey('raw', witness.publicKey, { name: 'Ed25519' }, false, ['verify']);
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, base64Decode(cosignature.sig), message);
  return ok ? { name: witness.name, timestamp: cosignature.timestamp } : null;
}

export function pinnedWitnesses() {
  return readStored(PIN_KEY);
}

export function forgetWitnesses() {
  localStorage.removeItem(PIN_KEY);
}

// The pinned witness set ({quorum, witnesses: [{name, vkey}]}); pinned from
// the server's policy on first use.
export async function witnessSet() {
  let pinned = pinnedWitnesses();
  if (!pinned) {
    const checkpoint = await getJson('/v1/checkpoint');
    const policy = checkpoint.witness_policy ?? { witness_quorum: 0, witnesses: [] };
    pinned = {
      quorum: policy.witness_quorum ?? 0,
      witnesses: (policy.witnesses ?? []).map((w) => ({ name: w.name, vkey: w.vkey })),
    };
    for (const w of pinned.witnesses) await parseCosignerVkey(w.vkey);
    writeStored(PIN_KEY, pinned);
  }
  return pinned;
}

// Checks a checkpoint's cosignatures (its signature by the system key
// already verified) against the pinned witness set. Returns
// {ok, cosigners: [{name, timestamp}], missing: [name], invalid: [name], quorum}.
export async function judgeCosignatures(checkpoint, pinned) {
  const result = { ok: false, cosigners: [], missing: [], invalid: [], quorum: pinned.quorum };
  if (pinned.quorum > 0 && typeof checkpoint.origin !== 'string') {
    result.invalid.push('（检查点未附见证信息）');
    return result;
  }
  const text = pinned.quorum > 0 ? checkpointText(checkpoint.origin, checkpoint.tree_size, checkpoint.root_hash) : '';
  for (const entry of pinned.witnesses) {
    const witness = await parseCosignerVkey(entry.vkey);
    const lines = (checkpoint.cosignatures ?? []).filter((c) => c.name === witness.name && c.key_id === witness.keyId);
    if (lines.length === 0) {
      result.missing.push(witness.name);
      continue;
    }
    const verified = [];
    for (const line of lines) verified.push(await verifyCosignature(witness, text, line));
    if (verified.some((v) => v === null)) result.invalid.push(witness.name);
    else result.cosigners.push(verified.reduce((a, b) => (b.timestamp > a.timestamp ? b : a)));
  }
  result.ok = result.invalid.length === 0 && result.cosigners.length >= pinned.quorum;
  return result;
}

// The reason a checkpoint is refused, or null.
export function witnessRefusal(judgement) {
  if (judgement.ok) return null;
  if (judgement.invalid.length > 0) return `见证联署无效：${judgement.invalid.join('、')}`;
  return `见证联署不足法定数（需 ${judgement.quorum} 个，缺少：${judgement.missing.join('、')}）`;
}
