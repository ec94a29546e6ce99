// A varied campaign history for consistency tests: outlets opened and
// closed around the window, sales in and out of it, refunds before and
// after its end, a revocation and a renewal recorded late with earlier
// business times, households re-registered, promotions and a report.
#pragma once

#include <functional>
#include <string>

#include "tests/projections/stats_world.h"

namespace fupin::projections::testing {

// Appends the scenario to `w`, calling `after_each` after every event.
inline void PlayScenario(StatsWorld& w, const std::function<void()>& after_each) {
  auto step = [&](auto append) {
    append();
    after_each();
  };
  step([&] { w.Outlet("C-2", "counter", "433127"); });
  step([&] { w.Outlet("PV-1", "pavilion", "430100"); });
  step([&] { w.Outlet("ZF-1", "zone_offline", "433100", "2020-09-15T09:00:00+08:00"); });
  step([&] { w.Outlet("ZN-1", "zone_online", "430102", "2020-10-02T09:00:00+08:00"); });
  step([&] { w.Household("H-2", "433127", 3); });
  step([&] { w.Household("H-3", "433127", 5); });
  step([&] { w.Certify("P-2", {"H-2", "H-3", "H-9"}, "2020-09-03T00:00:00+08:00"); });
  for (int i = 0; i < 12; ++i) {
    const std::string day = std::to_string(10 + i);
    step([&] {
      w.Sale("S-" + std::to_string(i), 1000 + 37 * i, "2020-09-" + day + "T10:00:00+08:00",
             i % 3 == 0 ? "P-2" : "P-1", i % 2 == 0 ? "C-1" : "C-2");
    });
  }
  step([&] { w.Sale("S-early", 500, "2020-09-02T10:00:00+08:00", "P-2"); });  // before P-2
  step([&] { w.Sale("S-late", 800, "2020-10-01T00:00:00+08:00", "P-1", "C-2"); });
  step([&] { w.Refund("S-1", 300, "2020-09-20T10:00:00+08:00", "C-2"); });
  step([&] { w.Refund("S-4", 1148, "2020-10-10T10:00:00+08:00"); });
  step([&] { w.Close("PV-1", "2020-08-25T09:00:00+08:00"); });
  step([&] { w.Close("C-2", "2020-09-25T09:00:00+08:00"); });
  step([&] { w.Promotion("PR-1", "433127", "2020-09-18"); });
  step([&] { w.Promotion("PR-2", "430100", "2020-08-18"); });
  step([&] { w.Revoke("P-1", "2020-09-15T00:00:00+08:00"); });            // late, dated earlier
  step([&] { w.Certify("P-2", {"H-2"}, "2020-09-01T00:00:00+08:00"); });  // late renewal
  step([&] { w.Household("H-2", "433127", 4); });
  step([&] { w.Report("433100", {ReportRow{"433100", 0, 1, 0, 1, 0, 1, 9000, 12}}); });
  step([&] { w.Sale("S-after", 4200, "2020-09-29T22:00:00+08:00", "P-2", "C-1"); });
  step([&] { w.Refund("S-after", 4200, "2020-10-03T10:00:00+08:00"); });
}

}  // namespace fupin::projections::testing
