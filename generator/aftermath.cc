#include "generator/aftermath.h"

#include <algorithm>
#include <map>

#include "generator/event_bodies.h"
#include "generator/random.h"

namespace fupin::generator {
namespace {

inline constexpr int32_t kReportDay = kOct1 + 11;          // 12 Oct
inline constexpr int32_t kFirstPaymentDay = kOct1 + 14;    // 15 Oct
inline constexpr int32_t kSecondPaymentDay = kDec29 - 19;  // 10 Dec
inline constexpr int32_t kLatePaymentDay = kDec29 + 17;    // 15 Jan 2021
// A sham supplier pays token amounts (50-200元).
inline constexpr int64_t kShamBenefitMaxFen = 20'000;

ReportRow ToReportRow(const StatsRow& s) {
  ReportRow r;
  r.region = s.region;
  r.online_zones = s.online_zones;
  r.offline_zones = s.offline_zones;
  r.pavilions = s.pavilions;
  r.counters = s.counters;
  r.livestream_bases = s.livestream_bases;
  r.promotions = s.promotions;
  r.sales_fen = s.sales_fen;
  r.poor_people_covered = s.poor_people_covered;
  return r;
}

void Inflate(const InflatedReport& inflation, ReportRow& row) {
  const int p = inflation.percent;
  switch (inflation.variant) {
    case 0:
      row.sales_fen = row.sales_fen * (100 + p) / 100;
      break;
    case 1:
      row.counters += std::max<int64_t>(1, row.counters * p / 100);
      row.sales_fen = row.sales_fen * (100 + std::max(6, p / 2)) / 100;
      break;
    default:
      row.poor_people_covered =
          std::max(row.poor_people_covered + 1, row.poor_people_covered * (100 + p) / 100);
      break;
  }
}

}  // namespace

void EmitReports(const World& w, const FraudPlan& plan, const ExpectedStatistics& stats,
                 EventSink& sink, LabelBook& labels) {
  const std::vector<StatsRow> rows = stats.Rows();
  const std::vector<int>& prefs = w.regions.prefectures();
  for (std::size_t slot = 0; slot < prefs.size(); ++slot) {
    const std::string& code = w.region(prefs[slot]).code;
    std::vector<ReportRow> report;
    for (const StatsRow& row : rows) {
      if (row.region == code) report.insert(report.begin(), ToReportRow(row));
    }
    for (int county : w.regions.CountiesOf(prefs[slot])) {
      for (const StatsRow& row : rows) {
        if (row.region == w.region(county).code) report.push_back(ToReportRow(row));
      }
    }
    int case_id = -1;
    for (const InflatedReport& inflation : plan.reports) {
      if (inflation.slot == static_cast<int>(slot)) {
        Inflate(inflation, report[0]);
        case_id = inflation.case_id;
      }
    }
    const std::string id =
        sink.Emit("report.submitted", At(kReportDay, 10 * 3600 + 420 * static_cast<int64_t>(slot)),
                  w.keys[static_cast<std::size_t>(w.reporter[slot])], ReportBody(code, report));
    if (case_id >= 0) labels.AddEvent(case_id, id);
  }
}

void EmitBenefits(const World& w, const FraudPlan& plan, EventSink& sink, LabelBook& labels) {
  // Households paid late or never (FP-09), by supplier.
  std::map<int, std::vector<int>> late;
  std::map<int, std::vector<int>> withheld;
  for (const UnpaidClaim& claim : plan.unpaid) {
    const int supplier = w.products[static_cast<std::size_t>(claim.product)].supplier;
    late[supplier].insert(late[supplier].end(), claim.late.begin(), claim.late.end());
    withheld[supplier].insert(withheld[supplier].end(), claim.unpaid.begin(), claim.unpaid.end());
    withheld[supplier].insert(withheld[supplier].end(), claim.late.begin(), claim.late.end());
  }
  const std::size_t n = w.suppliers.size();
  struct Due {
    std::vector<Payment> first, second, late;
  };
  std::vector<Due> due(n);
  for (std::size_t si = 0; si < n; ++si) {
    const Supplier& s = w.suppliers[si];
    Rng rng(w.seed, "benefits", si);
    std::vector<int> seen;
    auto amount = [&] {
      return s.sham ? rng.Between(50, kShamBenefitMaxFen / 100) * 100
                    : rng.Between(kBenefitMinFen / 100, kBenefitMaxFen / 100) * 100;
    };
    for (int pi : s.products) {
      const Product& p = w.products[static_cast<std::size_t>(pi)];
      for (int h : p.households) {
        if (std::find(seen.begin(), seen.end(), h) != seen.end()) continue;
        seen.push_back(h);
        const std::string& id = w.households[static_cast<std::size_t>(h)].id;
        const std::vector<int>& held = withheld[static_cast<int>(si)];
        const std::vector<int>& paid_late = late[static_cast<int>(si)];
        if (std::find(paid_late.begin(), paid_late.end(), h) != paid_late.end()) {
          due[si].late.push_back({id, p.mechanisms[0], amount()});
        }
        if (std::find(held.begin(), held.end(), h) != held.end()) continue;
        due[si].first.push_back({id, p.mechanisms[0], amount()});
        if (!s.sham && rng.Chance(500'000))
          due[si].second.push_back({id, p.mechanisms[0], amount()});
      }
    }
    for (const auto& [supplier, ghost] : plan.ghost_payments) {
      if (supplier == static_cast<int>(si))
        due[si].first.push_back({ghost, BenefitMechanism::kOther, amount()});
    }
  }
  auto emit = [&](std::size_t si, BizTime at, int32_t from, int32_t to,
                  const std::vector<Payment>& payments) {
    if (payments.empty()) return;
    const Supplier& s = w.suppliers[si];
    const std::string id = sink.Emit("benefit.paid", at, w.keys[static_cast<std::size_t>(s.key)],
                                     BenefitBody(s, from, to, payments));
    for (int c : s.cases) labels.AddEvent(c, id);
  };
  auto spread = [&](int32_t first_day, int days, std::size_t si) {
    return At(first_day, 9 * 3600) +
           static_cast<int64_t>(si) * days * kSecondsPerDay / static_cast<int64_t>(n);
  };
  for (std::size_t si = 0; si < n; ++si)
    emit(si, spread(kFirstPaymentDay, 16, si), kSept1, kSept30, due[si].first);
  for (std::size_t si = 0; si < n; ++si) {
    emit(si, spread(kSecondPaymentDay, 15, si), kOct1, kOct1 + 60, due[si].second);
  }
  for (std::size_t si = 0; si < n; ++si)
    emit(si, spread(kLatePaymentDay, 5, si), kSept1, kDec29 + 2, due[si].late);
}

}  // namespace fupin::generator
