// The largest tree head this browser has verified, kept in local storage
// per ledger, so a server cannot show a rewritten or forked log later: a
// newer checkpoint must be consistent with it (RFC 9162 §2.1.4 proof), an
// older one must be a prefix of it, and one of the same size must have the
// same root. The system key is the server's own, so a signature alone
// would not stop the server from signing a second history. Proofs use the
// checkpoint's hash (`hash`, absent: SHA-256), which checkCheckpoint has
// already found equal to the trust anchor's and covered by the signature.
import { getJson } from './api.js';
import { verifyConsistency } from './ledger-crypto.js';
import { readStored, writeStored } from './storage.js';

const HEAD_KEY = 'fupin-ledger.tree-head';

export function knownTreeHead() {
  return readStored(HEAD_KEY);
}

export function forgetTreeHead() {
  localStorage.removeItem(HEAD_KEY);
}

// Checks a signed checkpoint (its signature already verified) against the
// known head and advances the head; throws with the reason on a fork.
// `fetchProof(first, second)` answers GET /v1/proof/consistency.
export async function acceptCheckpoint(checkpoint, fetchProof = defaultFetchProof) {
  const known = knownTreeHead();
  const head = { log_id: checkpoint.log_id, tree_size: checkpoint.tree_size, root_hash: checkpoint.root_hash };
  if (!known || known.log_id !== checkpoint.log_id) {
    writeStored(HEAD_KEY, head);
    return;
  }
  if (checkpoint.tree_size === known.tree_size) {
    if (checkpoint.root_hash !== known.root_hash) {
      throw new Error(`账本在树大小 ${known.tree_size} 处出现了两个不同的根：日志被改写或分叉`);
    }
    return;
  }
  const [older, newer] = checkpoint.tree_size > known.tree_size ? [known, head] : [head, known];
  const proof = await fetchProof(older.tree_size, newer.tree_size);
  const consistent = await verifyConsistency(older.tree_size, newer.tree_size, older.root_hash, newer.root_hash, proof.path ?? [], checkpoint.hash ?? 'sha256');
  if (!consistent) {
    throw new Error(`树大小 ${older.tree_size} 与 ${newer.tree_size} 的检查点不一致：日志被改写或分叉`);
  }
  if (newer === head) writeStored(HEAD_KEY, head);
}

function defaultFetchProof(first, second) {
  return getJson('/v1/proof/consistency', { first, second });
}
