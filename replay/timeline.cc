#include "replay/timeline.h"

#include <boost/json/parse.hpp>
#include <sstream>

#include "ledger/codec.h"
#include "replay/labels.h"
#include "replay/replay_source.h"
#include "replay/signatures.h"

namespace fupin::replay {
namespace {

namespace bj = boost::json;

std::string_view SignatureLabel(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::kValid:
      return "有效";
    case SignatureCheck::kInvalid:
      return "无效";
    case SignatureCheck::kUnknownKey:
      return "密钥未登记";
  }
  return "";
}

std::string_view ProofLabel(ProofCheck check) {
  switch (check) {
    case ProofCheck::kValid:
      return "有效";
    case ProofCheck::kInvalid:
      return "无效";
    case ProofCheck::kNotCovered:
      return "未纳入检查点";
  }
  return "";
}

}  // namespace

bool Timeline::ok() const {
  if (!checkpoint_valid) return false;
  for (const TimelineEntry& e : entries) {
    if (e.signature != SignatureCheck::kValid || e.proof == ProofCheck::kInvalid) return false;
  }
  return true;
}

std::string_view SignatureCheckName(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::kValid:
      return "valid";
    case SignatureCheck::kInvalid:
      return "invalid";
    case SignatureCheck::kUnknownKey:
      return "unknown_key";
  }
  return "";
}

std::string_view ProofCheckName(ProofCheck check) {
  switch (check) {
    case ProofCheck::kValid:
      return "valid";
    case ProofCheck::kInvalid:
      return "invalid";
    case ProofCheck::kNotCovered:
      return "not_covered";
  }
  return "";
}

Result<Timeline> BuildTimeline(const Ledger& ledger, const std::string& entity, uint64_t from,
                               uint64_t to,
                               const std::function<void(uint64_t, uint64_t)>& progress) {
  Timeline timeline;
  timeline.entity = entity;
  timeline.tree_size = ledger.tree_size();
  FUPIN_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, EntitySeqs(ledger, entity, from, to));
  if (seqs.empty()) {
    return Status(ErrorCode::kNotFound, "no record names " + entity + " in seqs " +
                                            std::to_string(from) + ".." + std::to_string(to));
  }
  FUPIN_ASSIGN_OR_RETURN(Checkpoint checkpoint, ledger.LatestCheckpoint());
  timeline.checkpoint = checkpoint;
  timeline.checkpoint_valid = VerifyCheckpoint(checkpoint, ledger.system_public_key()) &&
                              checkpoint.log_id == ledger.info().log_id;
  KeyRegistry keys(ledger);
  uint64_t done = 0;
  for (uint64_t seq : seqs) {
    FUPIN_ASSIGN_OR_RETURN(StoredRecord record, ledger.ReadRecord(seq));
    FUPIN_ASSIGN_OR_RETURN(LeafFields leaf, ParseLeaf(record.leaf_data));
    TimelineEntry e;
    e.seq = seq;
    e.recorded_at = leaf.recorded_at;
    e.occurred_at = leaf.occurred_at;
    e.type = leaf.type;
    e.stream = leaf.stream;
    e.stream_version = leaf.stream_version;
    e.key_id = leaf.key_id;
    const merkle::Hash leaf_hash = merkle::LeafHash(ledger.info().hash, record.leaf_data);
    e.leaf_hash = HexEncode(leaf_hash);
    Result<RegisteredKey> key = keys.KeyAt(leaf.key_id, seq);
    if (key.ok()) {
      e.key_registered_seq = key->registered_seq;
      Result<bool> valid = VerifyEventSignature(leaf, key->public_key);
      e.signature = valid.ok() && *valid ? SignatureCheck::kValid : SignatureCheck::kInvalid;
    } else if (key.status().code() != ErrorCode::kNotFound) {
      return key.status();
    }
    if (seq < checkpoint.tree_size) {
      FUPIN_ASSIGN_OR_RETURN(std::vector<merkle::Hash> path,
                             ledger.InclusionPath(seq, checkpoint.tree_size));
      e.proof = merkle::VerifyInclusion(ledger.info().hash, seq, checkpoint.tree_size, leaf_hash,
                                        path, checkpoint.root_hash)
                        .ok()
                    ? ProofCheck::kValid
                    : ProofCheck::kInvalid;
    }
    timeline.entries.push_back(std::move(e));
    if (progress) progress(++done, seqs.size());
  }
  return timeline;
}

bj::object TimelineJson(const Timeline& timeline) {
  bj::array records;
  for (const TimelineEntry& e : timeline.entries) {
    bj::object r{{"seq", e.seq},
                 {"recorded_at", e.recorded_at},
                 {"occurred_at", e.occurred_at},
                 {"type", e.type},
                 {"stream", e.stream},
                 {"stream_version", e.stream_version},
                 {"key", e.key_id},
                 {"leaf_hash", e.leaf_hash},
                 {"signature", SignatureCheckName(e.signature)},
                 {"proof", ProofCheckName(e.proof)}};
    if (e.signature != SignatureCheck::kUnknownKey) r["key_registered_seq"] = e.key_registered_seq;
    records.push_back(std::move(r));
  }
  return {{"entity", timeline.entity},
          {"tree_size", timeline.tree_size},
          {"checkpoint", bj::parse(CheckpointJson(timeline.checkpoint))},
          {"checkpoint_valid", timeline.checkpoint_valid},
          {"ok", timeline.ok()},
          {"records", std::move(records)}};
}

std::string RenderTimelineText(const Timeline& timeline) {
  std::ostringstream out;
  const std::string_view kind =
      std::string_view(timeline.entity).substr(0, timeline.entity.find(':'));
  out << EntityKindLabel(kind) << " " << timeline.entity.substr(kind.size() + 1)
      << " 的记录轨迹，共 " << timeline.entries.size() << " 条（账本共 " << timeline.tree_size
      << " 条记录）\n";
  out << "检查点：树大小 " << timeline.checkpoint.tree_size << "，时间 "
      << timeline.checkpoint.timestamp << "，签名" << (timeline.checkpoint_valid ? "有效" : "无效")
      << "\n\n";
  const std::vector<std::size_t> widths = {8, 26, 27, 12, 30, 24, 12, 14};
  const std::vector<std::string> headers = {"序号",    "记录时间", "业务时间", "类型",
                                            "流/版本", "签名密钥", "签名",     "包含证明"};
  for (std::size_t i = 0; i < headers.size(); ++i) {
    out << (i == 0 ? PadLeft(headers[i], widths[i]) : PadRight(headers[i], widths[i])) << ' ';
  }
  out << '\n';
  for (const TimelineEntry& e : timeline.entries) {
    const std::vector<std::string> cells = {std::to_string(e.seq),
                                            e.recorded_at,
                                            e.occurred_at,
                                            std::string(EventTypeLabel(e.type)),
                                            e.stream + " #" + std::to_string(e.stream_version),
                                            e.key_id,
                                            std::string(SignatureLabel(e.signature)),
                                            std::string(ProofLabel(e.proof))};
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out << (i == 0 ? PadLeft(cells[i], widths[i]) : PadRight(cells[i], widths[i])) << ' ';
    }
    out << '\n';
  }
  out << '\n'
      << (timeline.ok() ? "结论：全部签名与包含证明均有效" : "结论：发现校验失败的记录") << '\n';
  return out.str();
}

}  // namespace fupin::replay
