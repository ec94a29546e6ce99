// What the page proves by itself: leaf hashes recomputed from the records
// (SPEC §2.2), RFC 9162 inclusion and consistency proofs, checkpoint and
// event signatures (SPEC §2.1, §2.3), and the signing of events with a key
// that never leaves the page. Two families: SHA-256 and Ed25519 through
// WebCrypto, and the national algorithms (国密) SM3 and SM2 — which WebCrypto
// does not have — through sm-crypto-v2 (docs/web.md, "国密 in the browser").
// A log's hash is one of HASHES, named by seq 0 (trust.js); a key's
// algorithm is its key.registered body's `alg`.
import { sm2, sm3 as sm3Hex } from 'sm-crypto-v2';
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

// SM3 (GB/T 32905). The library answers in hex.
export async function sm3(bytes) {
  return hexDecode(sm3Hex(bytes));
}

// The log hashes by the names seq 0, checkpoints and `init --hash` use;
// both are 32 bytes, so proofs and hex checks are the same for either.
export const HASHES = Object.freeze({ sha256, sm3 });
export const HASH_LABELS = Object.freeze({ sha256: 'SHA-256', sm3: 'SM3' });
export const KEY_ALG_LABELS = Object.freeze({ ed25519: 'Ed25519', sm2: 'SM2' });

function hashFunction(hash) {
  if (typeof hash !== 'string' || !Object.hasOwn(HASHES, hash)) throw new Error(`不支持的哈希算法：${hash}`);
  return HASHES[hash];
}

// H(bytes) with the log hash named `hash`.
export async function digest(hash, bytes) {
  return hashFunction(hash)(bytes);
}

// H(0x00 ‖ leaf data). `hash` is the log's (the trust anchor's); SHA-256
// unless told, as for every log before SM3 logs existed.
export async function leafHashOfData(leafData, hash = 'sha256') {
  return digest(hash, concat(Uint8Array.of(0), leafData));
}

// The leaf data of a served record: its canonical JSON without leaf_hash
// (and without the proof the API attaches beside it).
export function leafDataOfRecord(record) {
  const { leaf_hash: _leaf, proof: _proof, ...stored } = record;
  return encoder.encode(canonicalize(stored));
}

export async function leafHashOfRecord(record, hash = 'sha256') {
  return hexEncode(await leafHashOfData(leafDataOfRecord(record), hash));
}

async function nodeHash(left, right, hash) {
  return digest(hash, concat(Uint8Array.of(1), left, right));
}

function hashOfPath(hex) {
  if (typeof hex !== 'string' || hex.length !== 64) throw new Error('证明中的哈希不是 32 字节');
  return hexDecode(hex);
}

// RFC 9162 §2.1.3.2: the root that `path` proves for leaf `index` of a tree
// of `treeSize` leaves, or an Error when the path has the wrong shape.
export async function rootFromInclusionProof(index, treeSize, leafHashHex, pathHex, hash = 'sha256') {
  hashFunction(hash);
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
      r = await nodeHash(node, r, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, node, hash);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('包含证明过短');
  return hexEncode(r);
}

export async function verifyInclusion(index, treeSize, leafHashHex, pathHex, rootHex, hash = 'sha256') {
  return (await rootFromInclusionProof(index, treeSize, leafHashHex, pathHex, hash)) === rootHex;
}

// RFC 9162 §2.1.4.2: whether `path` proves the tree of `first` leaves with
// root `firstRootHex` is a prefix of the tree of `second` leaves with root
// `secondRootHex`.
export async function verifyConsistency(first, second, firstRootHex, secondRootHex, pathHex, hash = 'sha256') {
  hashFunction(hash);
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
      fr = await nodeHash(c, fr, hash);
      sr = await nodeHash(c, sr, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = await nodeHash(sr, c, hash);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hexEncode(fr) === firstRootHex && hexEncode(sr) === secondRootHex;
}

// ---- SM2 (GB/T 32918) ----
// Signatures are DER SEQUENCE{r, s} over SM3(Z_A ‖ M), Z_A computed with the
// GM/T 0009 default distinguishing ID, set explicitly on every call: OpenSSL
// 3.0 defaults to an empty ID and 4.0 to this one, and the library signs the
// raw message as if it were the digest unless told `hash: true`.
export const SM2_ID = '1234567812345678';
const SM2_OPTIONS = Object.freeze({ der: true, hash: true, userId: SM2_ID });
// The order n of the SM2 curve (GB/T 32918.5).
const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

// An SM2 public key: the 65-byte point 04‖X‖Y, checked to lie on the curve
// when imported. The library's point (with precomputed multiples, since the
// page checks many checkpoints with the one system key) is what verifies.
export class Sm2PublicKey {
  constructor(bytes, point) {
    this.bytes = bytes;
    this.point = point;
    Object.freeze(this);
  }
}

function sm2Point(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 65 || bytes[0] !== 0x04) {
    throw new Error('SM2 公钥应为 65 字节的未压缩点（04‖X‖Y）');
  }
  try {
    return sm2.precomputePublicKey(hexEncode(bytes), 4);
  } catch (e) {
    throw new Error(`SM2 公钥不是曲线上的点：${e.message}`);
  }
}

// A DER ECDSA-Sig-Value read as strictly as OpenSSL reads it (minimal
// lengths and integers, nothing after), with 1 ≤ r, s ≤ n-1; null when it is
// not one. The library's own DER reader skips what it does not expect, so
// without this the page would accept encodings the ledger refuses.
function parseSm2Signature(der) {
  let at = 0;
  const length = () => {
    const first = der[at++];
    if (first === undefined) return -1;
    if (first < 0x80) return first;
    if (first !== 0x81) return -1;
    const n = der[at++];
    return n !== undefined && n >= 0x80 ? n : -1;
  };
  const integer = () => {
    if (der[at++] !== 0x02) return null;
    const len = length();
    if (len < 1 || at + len > der.length) return null;
    const bytes = der.subarray(at, at + len);
    at += len;
    if (bytes[0] & 0x80) return null;
    if (len > 1 && bytes[0] === 0 && !(bytes[1] & 0x80)) return null;
    return BigInt(`0x${hexEncode(bytes)}`);
  };
  if (der[at++] !== 0x30) return null;
  const total = length();
  if (total < 0 || at + total !== der.length) return null;
  const r = integer();
  if (r === null) return null;
  const s = integer();
  if (s === null || at !== der.length) return null;
  if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return null;
  return { r, s };
}

// Whether `signature` (DER bytes) is an SM2 signature of `message` by
// `publicKey` (an Sm2PublicKey or the 65 raw bytes). Never throws: the
// library throws on an off-curve key or an out-of-range scalar, and any
// throw means "not valid".
export function sm2Verify(publicKey, signature, message) {
  try {
    const point = publicKey instanceof Sm2PublicKey ? publicKey.point : sm2Point(publicKey);
    if (!parseSm2Signature(signature)) return false;
    return sm2.doVerifySignature(message, hexEncode(signature), point, SM2_OPTIONS) === true;
  } catch {
    return false;
  }
}

// A key.registered public key (`alg` "ed25519": base64 of 32 raw bytes, a
// non-extractable WebCrypto key; "sm2": base64 of the 65-byte point).
export async function importPublicKey(publicKeyB64, alg = 'ed25519') {
  if (alg === 'sm2') {
    const raw = base64Decode(publicKeyB64);
    return new Sm2PublicKey(raw, sm2Point(raw));
  }
  if (alg !== 'ed25519') throw new Error(`不支持的密钥算法：${alg}`);
  const raw = base64Decode(publicKeyB64);
  if (raw.length !== 32) throw new Error('公钥不是 32 字节');
  return crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
}

async function verifySignature(publicKey, signatureB64, message) {
  let signature;
  try {
    signature = base64Decode(signatureB64);
  } catch {
    return false;
  }
  if (publicKey instanceof Sm2PublicKey) return sm2Verify(publicKey, signature, message);
  if (signature.length !== 64) return false;
  return crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, message);
}

// The bytes an event's signature covers: the prefix and the canonical form
// of the event without `sig`.
export function eventSigningInput(event) {
  const { sig: _sig, ...unsigned } = event;
  return encoder.encode(EVENT_PREFIX + canonicalize(unsigned));
}

// publicKey: from importPublicKey, of either algorithm.
export async function verifyEventSignature(event, publicKey) {
  return verifySignature(publicKey, event.sig, eventSigningInput(event));
}

// SPEC §2.3: the signature covers the checkpoint's own members — with its
// `hash` when the log is not SHA-256, so a checkpoint cannot be passed off
// under another hash — and answers that carry more (GET /v1/checkpoint adds
// its C2SP forms) are read down to them.
export function checkpointSigningInput(checkpoint) {
  const { log_id, tree_size, root_hash, timestamp, key, hash } = checkpoint;
  const signed = { log_id, tree_size, root_hash, timestamp, key };
  if (hash !== undefined) signed.hash = hash;
  return encoder.encode(CHECKPOINT_PREFIX + canonicalize(signed));
}

export async function verifyCheckpointSignature(checkpoint, publicKey) {
  return verifySignature(publicKey, checkpoint.sig, checkpointSigningInput(checkpoint));
}

// ---- Private key files ----
// PKCS#8 (RFC 5208) read just far enough to tell Ed25519 (RFC 8410) from SM2
// (id-ecPublicKey with the SM2 curve, an ECPrivateKey of RFC 5915 inside, as
// `openssl genpkey -algorithm SM2` and `fupin-ledger keygen --alg sm2` write).
const OID_ED25519 = '1.3.101.112';
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_SM2 = '1.2.156.10197.1.301';

// One DER TLV at `at` of `bytes`: {tag, value, next}; throws when the
// length runs past the end.
function readTlv(bytes, at) {
  const tag = bytes[at];
  let length = bytes[at + 1];
  let start = at + 2;
  if (tag === undefined || length === undefined) throw new Error('DER 数据不完整');
  if (length >= 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 3) throw new Error('DER 长度无效');
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = bytes[start + i];
      if (b === undefined) throw new Error('DER 数据不完整');
      length = length * 256 + b;
    }
    start += count;
  }
  if (start + length > bytes.length) throw new Error('DER 数据不完整');
  return { tag, value: bytes.subarray(start, start + length), next: start + length };
}

// The children of a constructed DER value.
function readChildren(bytes) {
  const children = [];
  for (let at = 0; at < bytes.length;) {
    const tlv = readTlv(bytes, at);
    children.push(tlv);
    at = tlv.next;
  }
  return children;
}

function oidText(tlv) {
  if (!tlv || tlv.tag !== 0x06 || tlv.value.length === 0) return null;
  const v = tlv.value;
  const parts = [];
  let n = 0;
  for (const b of v) {
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

// An SM2 private key: the scalar d stays in a private field (the page can
// sign with it; nothing outside this class reads it back), beside the public
// point Z_A is computed from.
export class Sm2PrivateKey {
  #d;

  constructor(dHex, publicKeyHex) {
    this.#d = dHex;
    this.publicKeyHex = publicKeyHex;
    Object.freeze(this);
  }

  // The DER signature of `message` (bytes).
  sign(message) {
    return hexDecode(sm2.doSignature(message, this.#d, { ...SM2_OPTIONS, publicKey: this.publicKeyHex }).toLowerCase());
  }
}

// The ECPrivateKey (RFC 5915) inside an SM2 PKCS#8: d (1 ≤ d ≤ n-2, as SM2
// needs (1+d)⁻¹), and the public point, which must be d·G when the file has it.
function sm2PrivateKey(ecPrivateKey) {
  const outer = readTlv(ecPrivateKey, 0);
  if (outer.tag !== 0x30) throw new Error('SM2 私钥结构无效');
  const [version, scalar, ...optional] = readChildren(outer.value);
  if (version?.tag !== 0x02 || version.value.length !== 1 || version.value[0] !== 1 || scalar?.tag !== 0x04 ||
      scalar.value.length < 1 || scalar.value.length > 32) {
    throw new Error('SM2 私钥结构无效');
  }
  const d = BigInt(`0x${hexEncode(scalar.value)}`);
  if (d < 1n || d > SM2_N - 2n) throw new Error('SM2 私钥不在有效范围内');
  const dHex = d.toString(16).padStart(64, '0');
  const derived = sm2.getPublicKeyFromPrivateKey(dHex).toLowerCase();
  for (const field of optional) {
    if (field.tag === 0xa0 && oidText(readTlv(field.value, 0)) !== OID_SM2) throw new Error('SM2 私钥内的曲线参数不是 SM2 曲线');
    if (field.tag === 0xa1) {
      const bits = readTlv(field.value, 0);
      if (bits.tag !== 0x03 || bits.value[0] !== 0 || hexEncode(bits.value.subarray(1)) !== derived) {
        throw new Error('SM2 私钥文件中的公钥与私钥不符');
      }
    }
  }
  return new Sm2PrivateKey(dHex, derived);
}

// A PKCS#8 PEM private key (`fupin-ledger keygen`, `--alg sm2`, or
// `openssl genpkey -algorithm SM2`). Ed25519 is imported into WebCrypto as
// non-extractable (it can sign, nothing can read it back); SM2 becomes an
// Sm2PrivateKey. Any other key is refused, saying what it is.
export async function importPrivateKeyPem(pem) {
  // openssl ec writes SM2 keys in SEC1 as "SM2 PRIVATE KEY".
  if (/-----BEGIN (EC|SM2) PRIVATE KEY-----/.test(pem)) {
    throw new Error('这是 SEC1 格式的椭圆曲线私钥，本页只接受 PKCS#8 PEM（可用 openssl pkcs8 -topk8 -nocrypt 转换）');
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)) throw new Error('私钥文件已加密，本页只接受未加密的 PKCS#8 PEM 私钥');
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem);
  if (!match) throw new Error('文件不是 PKCS#8 PEM 私钥（应以 -----BEGIN PRIVATE KEY----- 开头）');
  let der;
  let algorithm;
  let curve;
  let inner;
  try {
    der = base64Decode(match[1].replace(/\s+/g, ''));
    const outer = readTlv(der, 0);
    if (outer.tag !== 0x30) throw new Error('不是 DER 序列');
    const [version, algorithmId, privateKey] = readChildren(outer.value);
    if (version?.tag !== 0x02 || algorithmId?.tag !== 0x30 || privateKey?.tag !== 0x04) throw new Error('不是 PKCS#8 私钥结构');
    const [oid, parameters] = readChildren(algorithmId.value);
    algorithm = oidText(oid);
    curve = oidText(parameters);
    inner = privateKey.value;
  } catch (e) {
    throw new Error(`无法解析 PKCS#8 私钥：${e.message}`);
  }
  if (algorithm === OID_ED25519) {
    try {
      return await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
    } catch (e) {
      throw new Error(`无法导入 Ed25519 私钥：${e.message}`);
    }
  }
  if (algorithm === OID_EC_PUBLIC_KEY && curve === OID_SM2) {
    try {
      return sm2PrivateKey(inner);
    } catch (e) {
      throw new Error(`无法导入 SM2 私钥：${e.message}`);
    }
  }
  if (algorithm === OID_EC_PUBLIC_KEY) {
    throw new Error(`不支持的椭圆曲线（OID ${curve ?? '无'}）：本页只接受 Ed25519 与 SM2 私钥`);
  }
  throw new Error(`不支持的私钥算法（OID ${algorithm ?? '无'}）：本页只接受 Ed25519 与 SM2 私钥`);
}

// "Ed25519" or "SM2", for what the page says it signs with.
export function privateKeyAlgorithm(privateKey) {
  return privateKey instanceof Sm2PrivateKey ? 'SM2' : 'Ed25519';
}

// The event with its `sig` (standard base64 with padding), signed with an
// imported private key of either algorithm.
export async function signEvent(unsigned, privateKey) {
  const input = eventSigningInput(unsigned);
  const signature = privateKey instanceof Sm2PrivateKey
    ? privateKey.sign(input)
    : await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, input);
  return { ...unsigned, sig: base64Encode(signature) };
}
