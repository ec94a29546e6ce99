// What the page proves by itself, with WebCrypto only (SHA-256, Ed25519):
// leaf hashes recomputed from the records (SPEC §2.2), RFC 9162 inclusion
// proofs, checkpoint and event signatures (SPEC §2.1, §2.3), and the
// signing of flag.resolved events with a key that never leaves the page.
import { canonicalize } from './jcs.js';

export const EVENT_PREFIX = 'fupin-ledger/event/v1\n';
export const CHECKPOINT_PREFIX = 'fupin-ledger/checkpoint/v1\n';

const encoder = new TextEncoder();

export function hexEncode(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function hexDecode(hex) {
  if (typeof hex !== 'string' || !/^([0-9a-f]{2})*$/.test(hex)) {
    throw new Error(`不是小写十六进制：${String(hex).slice(0, 20)}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function base64Encode(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text);
}

export function base64Decode(text) {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

// SHA-256(0x00 ‖ leaf data).
export async function leafHashOfData(leafData) {
  return sha256(concat(Uint8Array.of(0), leafData));
}

// The leaf data of a served record: its canonical JSON without leaf_hash
// (and without the proof the API attaches beside it).
export function leafDataOfRecord(record) {
  const { leaf_hash: _leaf, proof: _proof, ...stored } = record;
  return encoder.encode(canonicalize(stored));
}

export async function leafHashOfRecord(record) {
  return hexEncode(await leafHashOfData(leafDataOfRecord(record)));
}

async function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

function hashOfPath(hex) {
  if (typeof hex !== 'string' || hex.length !== 64) throw new Error('证明中的哈希不是 32 字节');
  return hexDecode(hex);
}

// RFC 9162 §2.1.3.2: the root that `path` proves for leaf `index` of a tree
// of `treeSize` leaves, or an Error when the path has the wrong shape.
export async function rootFromInclusionProof(index, treeSize, leafHashHex, pathHex) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || treeSize < 1 ||
      index >= treeSize) {
    throw new Error(`序号 ${index} 不在大小为 ${treeSize} 的树内`);
  }
  let fn = index;
  let sn = treeSize - 1;
  let r = hashOfPath(leafHashHex);
  for (const p of pathHex) {
    if (sn === 0) throw new Error('包含证明过长');
    const node = hashOfPath(p);
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(node, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, node);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('包含证明过短');
  return hexEncode(r);
}

export async function verifyInclusion(index, treeSize, leafHashHex, pathHex, rootHex) {
  return (await rootFromInclusionProof(index, treeSize, leafHashHex, pathHex)) === rootHex;
}

// RFC 9162 §2.1.4.2: whether `path` proves the tree of `first` leaves with
// root `firstRootHex` is a prefix of the tree of `second` leaves with root
// `secondRootHex`.
export async function verifyConsistency(first, second, firstRootHex, secondRootHex, pathHex) {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second) {
    throw new Error(`无法证明大小 ${first} 与 ${second} 的一致性`);
  }
  if (first === second) return pathHex.length === 0 && firstRootHex === secondRootHex;
  if (pathHex.length === 0) return false;
  const path = pathHex.map(hashOfPath);
  if ((first & (first - 1)) === 0) path.unshift(hashOfPath(firstRootHex));
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hexEncode(fr) === firstRootHex && hexEncode(sr) === secondRootHex;
}

export async function importPublicKey(publicKeyB64) {
  const raw = base64Decode(publicKeyB64);
  if (raw.length !== 32) throw new Error('公钥不是 32 字节');
  return crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
}

async function verifyEd25519(publicKey, signatureB64, message) {
  const signature = base64Decode(signatureB64);
  if (signature.length !== 64) return false;
  return crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, message);
}

// The bytes an event's signature covers: the prefix and the canonical form
// of the event without `sig`.
export function eventSigningInput(event) {
  const { sig: _sig, ...unsigned } = event;
  return encoder.encode(EVENT_PREFIX + canonicalize(unsigned));
}

export async function verifyEventSignature(event, publicKey) {
  return verifyEd25519(publicKey, event.sig, eventSigningInput(event));
}

// SPEC §2.3: the signature covers the checkpoint's own members; answers
// that carry more (GET /v1/checkpoint adds its C2SP forms) are read down
// to them.
export function checkpointSigningInput(checkpoint) {
  const { log_id, tree_size, root_hash, timestamp, key } = checkpoint;
  return encoder.encode(CHECKPOINT_PREFIX + canonicalize({ log_id, tree_size, root_hash, timestamp, key }));
}

export async function verifyCheckpointSignature(checkpoint, publicKey) {
  return verifyEd25519(publicKey, checkpoint.sig, checkpointSigningInput(checkpoint));
}

// A PKCS#8 PEM Ed25519 private key (`fupin-ledger keygen`), imported
// non-extractable: the page can sign with it, nothing can read it back.
export async function importPrivateKeyPem(pem) {
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem);
  if (!match) throw new Error('文件不是 PKCS#8 PEM 私钥（应以 -----BEGIN PRIVATE KEY----- 开头）');
  const der = base64Decode(match[1].replace(/\s+/g, ''));
  try {
    return await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  } catch (e) {
    throw new Error(`无法导入 Ed25519 私钥：${e.message}`);
  }
}

// The event with its `sig` (standard base64 with padding).
export async function signEvent(unsigned, privateKey) {
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, eventSigningInput(unsigned));
  return { ...unsigned, sig: base64Encode(signature) };
}
