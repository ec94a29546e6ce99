#include "replay/bundle_summary.h"

#include <sstream>

#include "ledger/codec.h"
#include "replay/labels.h"

namespace fupin::replay {

std::string OwnStream(std::string_view entity) {
  const std::string_view kind = entity.substr(0, entity.find(':'));
  if (kind == "sale" || kind == "buyer") return "";
  return std::string(entity);
}

std::string BundleSummary(const SummaryInput& in) {
  std::ostringstream out;
  const std::string_view kind = std::string_view(in.entity).substr(0, in.entity.find(':'));
  const std::string id = in.entity.substr(kind.size() + 1);
  out << "证据包：" << EntityKindLabel(kind) << " " << id << "（" << in.entity << "）\n";
  out << "记录轨迹：" << in.trail.size() << " 条记录提及该实体";
  if (!in.trail.empty()) {
    out << "（序号 " << in.trail.front()->seq << " 至 " << in.trail.back()->seq << "）";
  }
  out << "\n";
  for (const LeafFields* leaf : in.trail) {
    out << "  序号 " << leaf->seq << "  业务时间 " << leaf->occurred_at << "  记录时间 "
        << leaf->recorded_at << "  " << EventTypeLabel(leaf->type) << "（" << leaf->type << "）  "
        << leaf->stream << " 第 " << leaf->stream_version << " 版  签名密钥 " << leaf->key_id
        << "\n";
  }
  if (in.chain_stream.empty()) {
    out << "哈希链：该类实体没有自己的流，其记录分布在网点的流上\n";
  } else {
    out << "哈希链：流 " << in.chain_stream << " 第 1 至 " << in.chain_length
        << " 版，逐条由 prev_stream_hash 相连\n";
  }
  out << "签名密钥：";
  for (std::size_t i = 0; i < in.key_ids.size(); ++i) out << (i ? "、" : "") << in.key_ids[i];
  out << "（均附登记记录，直至自签名的创世记录）\n";
  if (in.checkpoint != nullptr) {
    out << "检查点：日志 " << in.checkpoint->log_id << "，树大小 " << in.checkpoint->tree_size
        << "，根哈希 " << HexEncode(in.checkpoint->root_hash) << "，时间 "
        << in.checkpoint->timestamp << "，由系统密钥 " << in.checkpoint->key_id << " 签名\n";
  }
  out << "核验方法：fupin-ledger verify-bundle 文件 --log-id 日志标识 --system-key 系统公钥\n";
  return out.str();
}

}  // namespace fupin::replay
