// The trust anchor of SPEC §2.4: (log id, system public key), with the
// log's hash and the system key's algorithm. The page derives it from
// seq 0 — the system key's self-signed key.registered, whose leaf hash is
// the log id and whose body names the hash (`"hash":"sm3"`; absent:
// SHA-256) and the key's `alg` — checks it, and pins it in local storage on
// first use; a later answer from a different ledger is refused. Every
// leaf, node, proof and checkpoint check then uses the anchor's hash.
import { getJson } from './api.js';
import { HASHES, importPublicKey, leafHashOfRecord, verifyEventSignature } from './ledger-crypto.js';
import { readStored, writeStored } from './storage.js';

const PIN_KEY = 'fupin-ledger.trust-anchor';
let cached = null;

export function pinnedAnchor() {
  return readStored(PIN_KEY);
}

export function forgetAnchor() {
  localStorage.removeItem(PIN_KEY);
  cached = null;
}

async function anchorOfLedger() {
  const record = await getJson('/v1/events/0');
  const event = record.event ?? {};
  const body = event.body ?? {};
  if (record.seq !== 0 || event.type !== 'key.registered' || !(body.roles ?? []).includes('system')) {
    throw new Error('序号 0 不是账本系统密钥的登记记录');
  }
  // Seq 0's own declared hash makes its leaf hash: the log id commits to
  // the hash, so a server cannot swap it without changing the log id.
  const hash = body.hash ?? 'sha256';
  if (typeof hash !== 'string' || !Object.hasOwn(HASHES, hash)) {
    throw new Error(`序号 0 声明的哈希算法 ${JSON.stringify(body.hash)} 不受支持`);
  }
  if ((await leafHashOfRecord(record, hash)) !== record.leaf_hash) {
    throw new Error('序号 0 的叶哈希与其内容不符');
  }
  if (body.alg !== 'ed25519' && body.alg !== 'sm2') {
    throw new Error(`序号 0 的系统密钥算法 ${JSON.stringify(body.alg)} 不受支持`);
  }
  let publicKey;
  try {
    publicKey = await importPublicKey(body.public_key, body.alg);
  } catch (e) {
    throw new Error(`序号 0 的系统公钥无效：${e.message}`);
  }
  if (event.key !== body.key_id || !(await verifyEventSignature(event, publicKey))) {
    throw new Error('序号 0 的系统密钥自签名无效');
  }
  return { log_id: record.leaf_hash, hash, alg: body.alg, key_id: body.key_id, public_key: body.public_key, publicKey };
}

// A pin from before SM3 logs has neither hash nor alg: it was SHA-256
// with an Ed25519 system key.
function pinnedHash(pinned) {
  return pinned.hash ?? 'sha256';
}
function pinnedAlg(pinned) {
  return pinned.alg ?? 'ed25519';
}

// {log_id, hash ("sha256" | "sm3"), alg ("ed25519" | "sm2"), key_id,
// public_key, publicKey (from importPublicKey)}; throws with the reason
// when seq 0 does not prove itself or differs from the pinned one.
// Seq 0 is read once per page load; the pin is compared on every call.
export async function trustAnchor() {
  if (!cached) cached = await anchorOfLedger();
  const pinned = pinnedAnchor();
  if (pinned && (pinned.log_id !== cached.log_id || pinned.public_key !== cached.public_key ||
      pinnedHash(pinned) !== cached.hash || pinnedAlg(pinned) !== cached.alg)) {
    throw new Error(
      `该服务器的账本（log id ${cached.log_id.slice(0, 16)}…）与本浏览器信任的账本（${pinned.log_id.slice(0, 16)}…）不同；若确系更换了账本，请在“完整性”页清除信任锚`,
    );
  }
  // First use, or an old pin of this same ledger: (re)write it whole, so
  // the 完整性 page shows the hash and the key's algorithm.
  if (!pinned || pinned.hash === undefined || pinned.alg === undefined) {
    const { publicKey: _key, ...anchor } = cached;
    writeStored(PIN_KEY, anchor);
  }
  return cached;
}
