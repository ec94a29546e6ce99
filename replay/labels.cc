#include "replay/labels.h"

#include <array>
#include <cstdint>
#include <utility>

namespace fupin::replay {
namespace {

using Label = std::pair<std::string_view, std::string_view>;

inline constexpr std::array<Label, 18> kTypeLabels = {{
    {"key.registered", "登记密钥"},
    {"key.revoked", "吊销密钥"},
    {"region.defined", "定义地区"},
    {"campaign.defined", "定义活动"},
    {"supplier.registered", "登记供应商"},
    {"household.registered", "登记贫困户"},
    {"product.certified", "产品认定"},
    {"product.repriced", "调整参考价"},
    {"product.revoked", "撤销认定"},
    {"outlet.deployed", "网点设立"},
    {"outlet.closed", "网点撤销"},
    {"promotion.held", "产销活动"},
    {"sale.recorded", "销售"},
    {"sale.refunded", "退款"},
    {"benefit.paid", "带贫支付"},
    {"report.submitted", "报表上报"},
    {"flag.raised", "预警"},
    {"flag.resolved", "预警处理"},
}};

inline constexpr std::array<Label, 11> kKindLabels = {{
    {"key", "密钥"},
    {"region", "地区"},
    {"campaign", "活动"},
    {"supplier", "供应商"},
    {"household", "贫困户"},
    {"product", "产品"},
    {"outlet", "网点"},
    {"promotion", "产销活动"},
    {"sale", "销售"},
    {"flag", "预警"},
    {"buyer", "购买方"},
}};

std::string_view Find(const auto& table, std::string_view key) {
  for (const Label& label : table) {
    if (label.first == key) return label.second;
  }
  return key;
}

bool Wide(uint32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6);
}

}  // namespace

std::string_view EventTypeLabel(std::string_view type) { return Find(kTypeLabels, type); }
std::string_view EntityKindLabel(std::string_view kind) { return Find(kKindLabels, kind); }

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    uint32_t code = byte;
    std::size_t length = 1;
    if (byte >= 0xF0) {
      length = 4;
      code = byte & 0x07;
    } else if (byte >= 0xE0) {
      length = 3;
      code = byte & 0x0F;
    } else if (byte >= 0xC0) {
      length = 2;
      code = byte & 0x1F;
    }
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    width += Wide(code) ? 2 : 1;
    i += length;
  }
  return width;
}

std::string PadRight(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t used = DisplayWidth(text);
  if (used < width) out.append(width - used, ' ');
  return out;
}

std::string PadLeft(std::string_view text, std::size_t width) {
  const std::size_t used = DisplayWidth(text);
  std::string out = used < width ? std::string(width - used, ' ') : std::string();
  out += text;
  return out;
}

}  // namespace fupin::replay
