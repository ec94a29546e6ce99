// Checks a proven answer (GET /v1/trail/{kind}/{id}?proofs=1, SPEC §5) in
// the page: the answer is about the entity the page asked for; the
// checkpoint is signed by the anchored system key and consistent with the
// tree head this browser saw before; each record's leaf hash is recomputed
// from its content and its inclusion proof leads to the checkpoint's root;
// the entity stream's hash chain is whole, and every link of it inside the
// page has its record shown. Results are kept per record, in the answer's
// order, never per seq: a repeated seq must not let one record vouch for
// another. Every hash is the log's, named by the anchor (trust.js).
import { HASH_LABELS, leafHashOfRecord, verifyCheckpointSignature, verifyInclusion } from './ledger-crypto.js';
import { judgeCosignatures, witnessRefusal } from './witnesses.js';

// The checkpoint's signature, its cosignatures against the pinned witness
// set (`witnesses`, from witnessSet()), then the tree-head check.
// {error, witnessed: the judgement}.
export async function checkCheckpoint(checkpoint, anchor, { acceptCheckpoint, witnesses, note }) {
  if (!checkpoint) return { error: '回答中没有签名检查点' };
  if (checkpoint.log_id !== anchor.log_id) return { error: '检查点属于另一个账本' };
  // A checkpoint names its log's hash when it is not SHA-256; one that
  // names another hash than the anchor's is not of this log's kind, and the
  // tree-head check must never run proofs under the wrong hash. "sha256"
  // is never written (its absence says it): the ledger refuses that second
  // byte form of one checkpoint, and so does the page.
  if (checkpoint.hash !== undefined && checkpoint.hash !== 'sm3') {
    return { error: `检查点的 hash 字段 ${JSON.stringify(checkpoint.hash)} 无效（只能省略或为 "sm3"）` };
  }
  const hash = anchor.hash ?? 'sha256';
  const claimed = checkpoint.hash ?? 'sha256';
  if (claimed !== hash) {
    return { error: `检查点的哈希算法（${HASH_LABELS[claimed] ?? claimed}）与信任锚的（${HASH_LABELS[hash] ?? hash}）不符` };
  }
  if (checkpoint.key !== anchor.key_id) return { error: `检查点签名密钥 ${checkpoint.key} 不是账本系统密钥` };
  if (!(await verifyCheckpointSignature(checkpoint, anchor.publicKey))) return { error: '检查点签名无效' };
  let witnessed = null;
  if (witnesses) {
    witnessed = await judgeCosignatures({ ...checkpoint, ...(note ?? {}) }, witnesses);
    const refusal = witnessRefusal(witnessed);
    if (refusal) return { error: refusal, witnessed };
  }
  try {
    await acceptCheckpoint(checkpoint);
  } catch (e) {
    return { error: e.message, witnessed };
  }
  return { error: null, witnessed };
}

async function checkRecord(record, checkpoint, hash) {
  if ((await leafHashOfRecord(record, hash)) !== record.leaf_hash) return '记录内容与叶哈希不符';
  const proof = record.proof;
  if (!proof || !Array.isArray(proof.path)) return '缺少包含证明';
  if (proof.tree_size !== checkpoint.tree_size) return '包含证明的树大小与检查点不符';
  try {
    const ok = await verifyInclusion(record.seq, proof.tree_size, record.leaf_hash, proof.path, checkpoint.root_hash, hash);
    return ok ? null : '包含证明与检查点根哈希不符';
  } catch (e) {
    return `包含证明无效：${e.message}`;
  }
}

// The order of the answer: seqs strictly increasing, at or after pageStart.
function checkOrder(records, pageStart) {
  let previous = pageStart - 1;
  for (const record of records) {
    if (!Number.isSafeInteger(record.seq) || record.seq <= previous) {
      return `记录序号 ${record.seq} 重复或顺序错误`;
    }
    previous = record.seq;
  }
  return null;
}

// The server caps a chain to the stream's last links (api/handlers_trail.cc).
export const MAX_CHAIN_LINKS = 10_000;

// chain: [{seq, stream_version, leaf_hash, prev_stream_hash}], from version
// 1 (or the last MAX_CHAIN_LINKS) to the page's last record on the stream.
function checkChain(entity, chain, records, pageStart) {
  const own = records.filter((r) => r.stream === entity);
  if (!Array.isArray(chain) || chain.length === 0) {
    return own.length === 0 ? { ok: true, length: 0 } : { ok: false, reason: '回答缺少该实体的哈希链' };
  }
  const firstVersion = chain[0].stream_version;
  if (firstVersion !== 1 && !(chain.length === MAX_CHAIN_LINKS && Number.isSafeInteger(firstVersion) && firstVersion > 1)) {
    return { ok: false, reason: `哈希链应从版本 1 开始，却从版本 ${firstVersion} 开始` };
  }
  let previous = null;
  for (const link of chain) {
    if (previous) {
      if (link.stream_version !== previous.stream_version + 1) {
        return { ok: false, reason: `流版本不连续：序号 ${link.seq} 为版本 ${link.stream_version}，应为 ${previous.stream_version + 1}` };
      }
      if (link.prev_stream_hash !== previous.leaf_hash) {
        return { ok: false, reason: `哈希链断开：序号 ${link.seq} 的前一哈希不符` };
      }
      if (!(link.seq > previous.seq)) return { ok: false, reason: `哈希链序号 ${link.seq} 顺序错误` };
    } else if (firstVersion === 1 && link.prev_stream_hash !== '') {
      return { ok: false, reason: '哈希链的第一条记录不应有前一哈希' };
    }
    previous = link;
  }
  // Both ways within the page: every record of the stream is its link,
  // and every link from the page's start on is a record shown here.
  const bySeq = new Map(chain.map((link) => [link.seq, link]));
  for (const record of own) {
    const link = bySeq.get(record.seq);
    if (!link || link.leaf_hash !== record.leaf_hash || link.stream_version !== record.stream_version ||
        link.prev_stream_hash !== record.prev_stream_hash) {
      return { ok: false, reason: `序号 ${record.seq} 与实体哈希链不符` };
    }
  }
  const shown = new Set(own.map((r) => r.seq));
  const hidden = chain.find((link) => link.seq >= pageStart && !shown.has(link.seq));
  if (hidden) return { ok: false, reason: `哈希链含序号 ${hidden.seq}（版本 ${hidden.stream_version}），但本页未显示该记录` };
  return { ok: true, length: chain.length, first: firstVersion, last: previous.stream_version };
}

// {ok, checkpointError, results: [error|null per record, in order], chain,
// witnessed}. entity: "kind:id" as the page asked; pageStart: the `from` of
// the request (0 for the first page); acceptCheckpoint: the tree-head
// check; witnesses: the pinned witness set (null: not checked).
export async function verifyProvenAnswer(answer, anchor, { entity, pageStart = 0, acceptCheckpoint = async () => {}, witnesses = null }) {
  const records = answer.records ?? [];
  let answerError = answer.entity === entity ? null : `回答的实体 ${answer.entity} 不是所查的 ${entity}`;
  answerError ??= checkOrder(records, pageStart);
  let witnessed = null;
  let checkpointError = answerError;
  if (!answerError) {
    const checked = await checkCheckpoint(answer.checkpoint, anchor, { acceptCheckpoint, witnesses, note: answer.checkpoint_note });
    checkpointError = checked.error;
    witnessed = checked.witnessed;
  }
  const results = [];
  for (const record of records) {
    results.push(checkpointError ?? (await checkRecord(record, answer.checkpoint, anchor.hash ?? 'sha256')));
  }
  const chain = answerError ? { ok: false, reason: answerError } : checkChain(entity, answer.chain, records, pageStart);
  const ok = !checkpointError && results.every((e) => e === null) && chain.ok;
  return { ok, checkpointError, results, chain, witnessed };
}
