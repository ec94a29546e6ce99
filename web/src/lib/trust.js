// The trust anchor of SPEC §2.4: (log id, system public key). The page
// derives it from seq 0 — the system key's self-signed key.registered,
// whose leaf hash is the log id — checks it, and pins it in local storage
// on first use; a later answer from a different ledger is refused.
import { getJson } from './api.js';
import { importPublicKey, leafHashOfRecord, verifyEventSignature } from './ledger-crypto.js';
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
  if ((await leafHashOfRecord(record)) !== record.leaf_hash) {
    throw new Error('序号 0 的叶哈希与其内容不符');
  }
  const publicKey = await importPublicKey(body.public_key);
  if (event.key !== body.key_id || !(await verifyEventSignature(event, publicKey))) {
    throw new Error('序号 0 的系统密钥自签名无效');
  }
  return { log_id: record.leaf_hash, key_id: body.key_id, public_key: body.public_key, publicKey };
}

// {log_id, key_id, public_key, publicKey (CryptoKey)}; throws with the
// reason when seq 0 does not prove itself or differs from the pinned one.
// Seq 0 is read once per page load; the pin is compared on every call.
export async function trustAnchor() {
  if (!cached) cached = await anchorOfLedger();
  const pinned = pinnedAnchor();
  if (pinned && (pinned.log_id !== cached.log_id || pinned.public_key !== cached.public_key)) {
    throw new Error(
      `该服务器的账本（log id ${cached.log_id.slice(0, 16)}…）与本浏览器信任的账本（${pinned.log_id.slice(0, 16)}…）不同；若确系更换了账本，请在“完整性”页清除信任锚`,
    );
  }
  if (!pinned) {
    const { publicKey: _key, ...anchor } = cached;
    writeStored(PIN_KEY, anchor);
  }
  return cached;
}
