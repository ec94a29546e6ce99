// Checks a proven answer (GET /v1/trail/…?proofs=1, SPEC §5) in the page:
// the checkpoint's signature by the anchored system key, each record's
// leaf hash recomputed from its content, its inclusion proof against the
// checkpoint's root, and the entity stream's hash chain.
import { leafHashOfRecord, verifyCheckpointSignature, verifyInclusion } from './ledger-crypto.js';

async function checkCheckpoint(checkpoint, anchor) {
  if (!checkpoint) return '回答中没有签名检查点';
  if (checkpoint.log_id !== anchor.log_id) return '检查点属于另一个账本';
  if (checkpoint.key !== anchor.key_id) return `检查点签名密钥 ${checkpoint.key} 不是账本系统密钥`;
  if (!(await verifyCheckpointSignature(checkpoint, anchor.publicKey))) return '检查点签名无效';
  return null;
}

async function checkRecord(record, checkpoint) {
  if ((await leafHashOfRecord(record)) !== record.leaf_hash) return '记录内容与叶哈希不符';
  const proof = record.proof;
  if (!proof || !Array.isArray(proof.path)) return '缺少包含证明';
  if (proof.tree_size !== checkpoint.tree_size) return '包含证明的树大小与检查点不符';
  try {
    const ok = await verifyInclusion(record.seq, proof.tree_size, record.leaf_hash, proof.path, checkpoint.root_hash);
    return ok ? null : '包含证明与检查点根哈希不符';
  } catch (e) {
    return `包含证明无效：${e.message}`;
  }
}

// chain: [{seq, stream_version, leaf_hash, prev_stream_hash}] from version 1.
function checkChain(entity, chain, records) {
  if (!Array.isArray(chain) || chain.length === 0) return { ok: true, length: 0 };
  let previous = null;
  for (const link of chain) {
    const expectedVersion = previous ? previous.stream_version + 1 : 1;
    const expectedPrev = previous ? previous.leaf_hash : '';
    if (link.stream_version !== expectedVersion) {
      return { ok: false, reason: `流版本不连续：序号 ${link.seq} 为版本 ${link.stream_version}，应为 ${expectedVersion}` };
    }
    if (link.prev_stream_hash !== expectedPrev) {
      return { ok: false, reason: `哈希链断开：序号 ${link.seq} 的前一哈希不符` };
    }
    previous = link;
  }
  const bySeq = new Map(chain.map((link) => [link.seq, link]));
  for (const record of records) {
    if (record.stream !== entity) continue;
    const link = bySeq.get(record.seq);
    if (!link || link.leaf_hash !== record.leaf_hash || link.stream_version !== record.stream_version ||
        link.prev_stream_hash !== record.prev_stream_hash) {
      return { ok: false, reason: `序号 ${record.seq} 与实体哈希链不符` };
    }
  }
  return { ok: true, length: chain.length };
}

// {ok, checkpointError, records: Map(seq -> error|null), chain: {ok, reason, length}}
export async function verifyProvenAnswer(answer, anchor) {
  const checkpointError = await checkCheckpoint(answer.checkpoint, anchor);
  const records = new Map();
  for (const record of answer.records ?? []) {
    records.set(record.seq, checkpointError ?? (await checkRecord(record, answer.checkpoint)));
  }
  const chain = checkChain(answer.entity, answer.chain, answer.records ?? []);
  const ok = !checkpointError && [...records.values()].every((e) => e === null) && chain.ok;
  return { ok, checkpointError, records, chain };
}
