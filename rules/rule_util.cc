#include "rules/rule_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ledger/time.h"
#include "projections/snapshot_io.h"

namespace fupin::rules {
namespace {

// Products of two int64 values (money times basis points) need more than
// 64 bits; GCC and Clang provide a 128-bit integer.
__extension__ typedef __int128 Wide;

Wide Pow10(int decimals) {
  Wide p = 1;
  for (int i = 0; i < decimals; ++i) p *= 10;
  return p;
}

std::string WideToString(Wide value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  std::string digits;
  while (value != 0) {
    const int digit = static_cast<int>(value % 10);
    digits.push_back(static_cast<char>('0' + (negative ? -digit : digit)));
    value /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace

int64_t ToBasisPoints(double ratio) {
  return std::llround(ratio * static_cast<double>(kBasisPointsPerUnit));
}

bool ExceedsRatio(int64_t value, int64_t base, int64_t ratio_bp) {
  return Wide{value} * kBasisPointsPerUnit > Wide{base} * ratio_bp;
}

bool BelowRatio(int64_t value, int64_t base, int64_t ratio_bp) {
  return Wide{value} * kBasisPointsPerUnit < Wide{base} * ratio_bp;
}

std::string FormatDecimal(int64_t numerator, int64_t denominator, int decimals) {
  const Wide scale = Pow10(decimals);
  const Wide scaled = Wide{numerator} * scale;
  const Wide magnitude = scaled < 0 ? -scaled : scaled;
  Wide rounded = (magnitude + denominator / 2) / denominator;
  const bool negative = scaled < 0 && rounded != 0;
  std::string whole = WideToString(rounded / scale);
  std::string text = negative ? "-" + whole : whole;
  if (decimals > 0) {
    std::string fraction = WideToString(rounded % scale);
    text += '.';
    text.append(static_cast<std::size_t>(decimals) - fraction.size(), '0');
    text += fraction;
  }
  return text;
}

std::string FormatYuan(int64_t fen) { return FormatDecimal(fen, 100, 2); }

std::string FormatPercent(int64_t numerator, int64_t denominator) {
  return FormatDecimal(numerator * 100, denominator, 1);
}

std::string FormatBasisPoints(int64_t basis_points) {
  return FormatDecimal(basis_points, kBasisPointsPerUnit, 2);
}

std::string FormatFixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

int64_t DoubledMedian(std::span<int64_t> values) {
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const int64_t upper = values[mid];
  if (values.size() % 2 == 1) return 2 * upper;
  // The lower middle is the largest of the elements before `mid`.
  const int64_t lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + upper;
}

int64_t QuadrupledMad(std::span<const int64_t> values, int64_t doubled_median,
                      std::vector<int64_t>& scratch) {
  scratch.clear();
  for (int64_t v : values) {
    const int64_t deviation = 2 * v - doubled_median;  // twice |v - median|
    scratch.push_back(deviation < 0 ? -deviation : deviation);
  }
  return DoubledMedian(scratch);
}

std::string RegionLabel(const projections::EntityCatalog& entities, std::string_view code) {
  auto it = entities.regions.find(code);
  if (it == entities.regions.end()) return std::string(code);
  return it->second.name + "(" + std::string(code) + ")";
}

std::vector<uint64_t> SortedEvidence(std::vector<uint64_t> seqs) {
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  return seqs;
}

std::string SupplierRegion(const projections::EntityCatalog& entities,
                           std::string_view supplier_id) {
  auto supplier = entities.suppliers.find(supplier_id);
  return supplier != entities.suppliers.end() ? supplier->second.region
                                              : std::string(kProvinceRegion);
}

std::vector<DueCampaign> CampaignDeadlines::Due(const World& world) {
  std::vector<DueCampaign> due;
  for (const auto& [id, campaign] : world.entities.campaigns) {
    if (closed_.contains(id)) continue;
    Result<int32_t> starts = ParseDate(campaign.starts_on);
    Result<int32_t> ends = ParseDate(campaign.ends_on);
    if (!starts.ok() || !ends.ok()) continue;  // validated when appended
    const int32_t deadline = *ends + static_cast<int32_t>(days_);
    if (world.clock_ms < ShanghaiDayEndMillis(deadline)) continue;
    closed_.insert(id);
    due.push_back({id, &campaign, *starts, *ends, deadline});
  }
  return due;
}

void CampaignDeadlines::SaveState(snapshot_io::Writer& out) const {
  out.Each(closed_, [](snapshot_io::Writer& w, const std::string& id) { w.Str(id); });
}

void CampaignDeadlines::LoadState(snapshot_io::Reader& in) {
  closed_.clear();
  in.Each([this](snapshot_io::Reader& r) { closed_.insert(closed_.end(), r.Str()); });
}

}  // namespace fupin::rules
