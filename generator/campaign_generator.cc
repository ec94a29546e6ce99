#include "generator/campaign_generator.h"

#include <sys/stat.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "generator/aftermath.h"
#include "generator/entity_events.h"
#include "generator/event_sink.h"
#include "generator/expected_stats.h"
#include "generator/fraud_plan.h"
#include "generator/keys.h"
#include "generator/labels.h"
#include "generator/outlets.h"
#include "generator/setup.h"
#include "generator/trade.h"
#include "generator/volume.h"
#include "generator/world.h"

namespace fupin::generator {
namespace {

// Refuses a non-empty directory; creates a missing one.
Status PrepareOutput(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    if (!std::filesystem::is_directory(dir, ec)) {
      return Status(ErrorCode::kAlreadyExists, dir + " exists and is not a directory");
    }
    if (!std::filesystem::is_empty(dir, ec)) {
      return Status(ErrorCode::kAlreadyExists, dir + " is not empty");
    }
  } else if (!std::filesystem::create_directories(dir, ec)) {
    return Status(ErrorCode::kIoError, "cannot create " + dir + ": " + ec.message());
  }
  if (::mkdir((dir + "/expected").c_str(), 0755) != 0) {
    return Status(ErrorCode::kIoError, "cannot create " + dir + "/expected");
  }
  return Status::Ok();
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  return out ? Status::Ok() : Status(ErrorCode::kIoError, "cannot write " + path);
}

std::vector<StatsRegion> StatsRegions(const World& w) {
  std::vector<StatsRegion> out;
  for (const Region& r : w.regions.all()) {
    out.push_back({r.code, r.name, std::string(RegionLevelName(r.level)), r.parent});
  }
  return out;
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};

}  // namespace

Result<GenerateSummary> GenerateCampaign(const GenerateOptions& options) {
  if (options.threads < 1) {
    return Status(ErrorCode::kInvalidArgument, "--threads must be at least 1");
  }
  auto progress = [&](std::string_view phase, uint64_t events) {
    if (options.progress) options.progress(phase, events);
  };
  const ScaleParams params = DeriveScaleParams(options.scale);
  FUPIN_ASSIGN_OR_RETURN(World built, BuildWorld(options.seed, params));
  World& w = built;
  ApplyKeyAlgMix(options.seed, options.key_alg, w.keys);
  LabelBook labels;
  const FraudPlan plan = PlanFrauds(w, labels);
  PlanProductChanges(w);
  FUPIN_RETURN_IF_ERROR(PlanVolumes(w, plan));
  FUPIN_RETURN_IF_ERROR(PrepareOutput(options.out_dir));

  const std::string events_path = options.out_dir + "/events.jsonl";
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(events_path.c_str(), "wb"));
  if (!file) return Status(ErrorCode::kIoError, "cannot create " + events_path);
  std::vector<char> buffer(1 << 20);
  std::setvbuf(file.get(), buffer.data(), _IOFBF, buffer.size());

  ExpectedStatistics stats(std::string(kCampaignId), std::string(kStartsOn), std::string(kEndsOn),
                           StatsRegions(w));
  Status written;
  uint64_t events = 0;
  {
    EventSink sink(options.seed, file.get(), options.threads);
    EntityEvents entities(w, sink, stats, labels);
    progress("setup", sink.emitted());
    EmitSetup(w, entities);
    TradeSimulation trade(w, plan, labels, sink, stats);
    trade.Run([&](int32_t day) { progress(FormatDay(day), sink.emitted()); });
    progress("reports", sink.emitted());
    EmitReports(w, plan, stats, sink, labels);
    progress("benefits", sink.emitted());
    EmitBenefits(w, plan, sink, labels);
    events = sink.emitted();
    written = sink.Finish();
  }
  FUPIN_RETURN_IF_ERROR(written);
  if (std::fclose(file.release()) != 0) {
    return Status(ErrorCode::kIoError, "cannot write " + events_path);
  }

  GenerateSummary summary;
  summary.events = events;
  summary.as_of = static_cast<int64_t>(events) + 1;
  summary.labels = labels.labels().size();
  summary.keys = w.keys.size();
  summary.admin_public_key = w.keys[0].public_b64;
  progress("files", events);
  FUPIN_RETURN_IF_ERROR(WriteText(options.out_dir + "/labels.jsonl", labels.ToJsonLines()));
  const std::vector<StatsRow> rows = stats.Rows();
  FUPIN_RETURN_IF_ERROR(WriteText(options.out_dir + "/expected/stats.json",
                                  StatsJson(stats.campaign_id(), summary.as_of, rows)));
  FUPIN_RETURN_IF_ERROR(WriteText(options.out_dir + "/expected/stats.csv", StatsCsv(rows)));
  FUPIN_RETURN_IF_ERROR(WriteKeys(options.out_dir + "/keys", w.keys));
  boost::json::object manifest;
  manifest["seed"] = std::to_string(options.seed);
  manifest["scale"] = options.scale.name;
  manifest["campaign"] = kCampaignId;
  manifest["events"] = summary.events;
  manifest["as_of"] = summary.as_of;
  manifest["labels"] = summary.labels;
  manifest["keys"] = summary.keys;
  manifest["admin_key_id"] = w.keys[0].id;
  manifest["admin_public_key"] = summary.admin_public_key;
  FUPIN_RETURN_IF_ERROR(
      WriteText(options.out_dir + "/manifest.json", boost::json::serialize(manifest) + "\n"));
  return summary;
}

}  // namespace fupin::generator
