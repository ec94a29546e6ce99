// `demo`: the one-command experience. A ledger on a default data directory,
// loaded with a generated Hunan campaign, served over HTTP with a
// supervisor token, until Ctrl-C. Running it again reuses the data.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "api/client.h"
#include "api/config.h"
#include "api/server.h"
#include "api/termination_signal.h"
#include "api/witness_server.h"
#include "cli/command.h"
#include "cli/event_submitter.h"
#include "cli/report_intake.h"
#include "generator/campaign_generator.h"
#include "generator/params.h"
#include "generator/regions.h"
#include "intake/report_form.h"
#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "ledger/file_io.h"
#include "ledger/ledger.h"
#include "ledger/random.h"
#include "mirror/served_mirror.h"
#include "projections/official_form.h"
#include "witness/witness.h"

namespace fupin::cli {
namespace {

namespace fs = std::filesystem;

// Sized so that generating, verifying every signature and committing takes
// well under a minute on the 2-core reference machine (see README).
inline constexpr uint64_t kDemoEvents = 60000;
inline constexpr uint64_t kDemoSeed = 20200901;
// Events per Append call while loading: the server's batch limit.
inline constexpr std::size_t kLoadBatch = 1000;

// The default data directories of `demo` and `demo --guomi`.
inline constexpr std::string_view kDemoData = "data/demo";
inline constexpr std::string_view kDemoGuomiData = "data/demo-guomi";

struct DemoOptions {
  std::string data{kDemoData};
  std::string listen = "127.0.0.1:8080";
  uint64_t events = kDemoEvents;
  // A verifying mirror beside the ledger (docs/trust.md, "Mirrors").
  bool mirror = false;
  std::string mirror_listen = "127.0.0.1:8081";
  // 国密: an SM3 log whose campaign keys are half SM2 (docs/operations.md).
  bool guomi = false;
  bool json = false;
};

// Where the demo keeps what it made, inside the data directory.
struct DemoPaths {
  fs::path root;
  fs::path campaign() const { return root / "campaign"; }
  fs::path loaded_marker() const { return root / "campaign" / "loaded.json"; }
  fs::path token() const { return root / "supervisor-token.txt"; }
  fs::path witness(std::size_t i) const { return root / "witnesses" / std::to_string(i + 1); }
  fs::path mirror() const { return root / "mirror"; }
  fs::path intake() const { return root / "intake"; }
};

// The demo's server configuration: the supervisor token on `listen`.
Result<api::ServerConfig> DemoServerConfig(const std::string& listen, const std::string& token) {
  FUPIN_ASSIGN_OR_RETURN(
      api::ServerConfig config,
      api::ParseServerConfig("{\"listen\":\"" + listen +
                             "\",\"tokens\":[{\"id\":\"demo-supervisor\",\"sha256\":\"" +
                             HexEncode(crypto::Sha256(token)) +
                             "\",\"role\":\"supervisor\",\"regions\":[\"430000\"]}]}"));
  config.web_root = BuiltWebRoot();
  return config;
}

// A mirror of the demo's ledger, served beside it, once it has caught up
// with the ledger's published checkpoint (its first run verifies the whole
// log: progress on stderr).
Result<std::unique_ptr<mirror::ServedMirror>> StartDemoMirror(const DemoPaths& paths,
                                                              const DemoOptions& options,
                                                              const std::string& source_url,
                                                              const std::string& token,
                                                              const WitnessPolicy& witnesses) {
  FUPIN_ASSIGN_OR_RETURN(api::ServerConfig config, DemoServerConfig(options.mirror_listen, token));
  mirror::FollowerOptions follow;
  follow.source = {source_url, token, ""};
  follow.interval = std::chrono::milliseconds(500);
  // It trusts the same witnesses as the page: a checkpoint they did not
  // cosign is not followed.
  follow.witness_policy = witnesses;
  follow.log = [](const std::string& line) { std::cerr << line << "\n"; };
  FUPIN_ASSIGN_OR_RETURN(
      std::unique_ptr<mirror::ServedMirror> served,
      mirror::ServedMirror::Start(paths.mirror().string(), std::move(follow), std::move(config)));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (!served->follower().CaughtUp()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status(ErrorCode::kUnavailable,
                    "the mirror did not catch up in 5 minutes: " + served->follower().StatusJson());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return served;
}

// The demo's witnesses (docs/trust.md): two bodies that do not answer to
// the operator, both needed for a checkpoint to be served.
inline constexpr std::string_view kDemoWitnessNames[] = {"湘西州扶贫办", "省审计厅"};
inline constexpr std::size_t kDemoWitnessQuorum = 2;

// One witness served in-process on a loopback port, with its key (made once,
// TEST ONLY) and its durable state under DIR/witnesses/N.
Result<api::ServedWitness> StartWitness(const fs::path& dir, std::string_view name,
                                        const note::VerifierKey& log, merkle::HashAlg hash) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create " + dir.string());
  const std::string key_file = (dir / "witness-key.pem").string();
  if (!fs::exists(key_file)) {
    FUPIN_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey fresh, crypto::Ed25519PrivateKey::Generate());
    FUPIN_RETURN_IF_ERROR(fresh.WritePemFile(key_file));
  }
  FUPIN_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key,
                         crypto::Ed25519PrivateKey::ReadPemFile(key_file));
  witness::WitnessOptions options;
  options.name = std::string(name);
  options.logs = {log};
  if (hash == merkle::HashAlg::kSm3) options.sm3_logs.insert(log.name);
  options.state_path = (dir / "witness-state.json").string();
  api::Limits limits;
  limits.io_threads = 1;
  limits.worker_threads = 2;
  api::ListenAddress listen;
  listen.port = 0;
  return api::ServeWitness(std::move(key), std::move(options), listen, limits);
}

// Waits (at most `patience`) until GET /checkpoint serves a checkpoint the
// witnesses cosigned, so the page opens on a witnessed tree head.
bool AwaitWitnessedCheckpoint(const std::string& url, std::chrono::seconds patience) {
  Result<std::unique_ptr<api::HttpClient>> client = api::HttpClient::Create(url);
  if (!client.ok()) return false;
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < deadline) {
    Result<api::ClientResponse> answer = (*client)->Get("/checkpoint");
    if (answer.ok() && answer->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

void Progress(std::string_view what, uint64_t done, uint64_t total) {
  if (isatty(STDERR_FILENO) != 1) return;
  int width = 40;
  int filled = total == 0 ? width : static_cast<int>(width * done / total);
  std::cerr << "\r" << what << " [" << std::string(filled, '#') << std::string(width - filled, ' ')
            << "] " << done << "/" << total << std::flush;
  if (done >= total) std::cerr << "\n";
}

// Generates the campaign once (kept in DIR/campaign for later runs).
Result<std::string> EnsureCampaign(const DemoPaths& paths, const DemoOptions& options) {
  fs::path manifest = paths.campaign() / "manifest.json";
  if (!fs::exists(manifest)) {
    std::error_code ec;
    fs::remove_all(paths.campaign(), ec);  // an interrupted generation
    generator::GenerateOptions generate;
    generate.seed = kDemoSeed;
    Result<generator::Scale> scale = generator::ParseScale(std::to_string(options.events));
    if (!scale.ok()) return scale.status().WithContext("--events");
    generate.scale = *scale;
    generate.out_dir = paths.campaign().string();
    generate.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (options.guomi) generate.key_alg = generator::KeyAlgMix::kMixed;
    generate.progress = [&](std::string_view, uint64_t events) {
      Progress("generating", std::min(events, options.events), options.events);
    };
    FUPIN_RETURN_IF_ERROR(generator::GenerateCampaign(generate).status());
    Progress("generating", options.events, options.events);
  }
  FUPIN_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(manifest.string()));
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(text, ec);
  const boost::json::value* key =
      ec || !parsed.is_object() ? nullptr : parsed.as_object().if_contains("admin_public_key");
  if (key == nullptr || !key->is_string()) {
    return Status(ErrorCode::kDataLoss, manifest.string() + " has no admin_public_key");
  }
  return std::string(key->as_string());
}

// Appends events.jsonl with one caller per core (signature checks run on
// the callers). Already appended events come back as duplicates, so an
// interrupted load simply resumes.
Status LoadCampaign(Ledger& ledger, const DemoPaths& paths) {
  std::ifstream in(paths.campaign() / "events.jsonl");
  if (!in) return Status(ErrorCode::kIoError, "cannot read the generated events");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  std::vector<std::vector<Envelope>> batches;
  for (std::size_t i = 0; i < lines.size(); i += kLoadBatch) {
    std::vector<Envelope> batch;
    for (std::size_t k = i; k < std::min(lines.size(), i + kLoadBatch); ++k) {
      Result<Envelope> envelope = ParseEnvelope(lines[k]);
      if (!envelope.ok())
        return envelope.status().WithContext("events.jsonl line " + std::to_string(k + 1));
      batch.push_back(std::move(envelope).value());
    }
    batches.push_back(std::move(batch));
  }
  // Batches must commit in file order (later events depend on earlier
  // ones), so workers verify in parallel but hand batches over in turn.
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::condition_variable turn;
  std::size_t committed = 0;
  Status failure = Status::Ok();
  auto worker = [&] {
    for (;;) {
      std::size_t b = next.fetch_add(1);
      if (b >= batches.size()) return;
      std::unique_lock<std::mutex> lock(mu);
      turn.wait(lock, [&] { return committed == b || !failure.ok(); });
      if (!failure.ok()) return;
      lock.unlock();
      AppendResult result = ledger.Append(std::move(batches[b]));
      lock.lock();
      if (!result.ok()) {
        failure = result.status.WithContext("batch " + std::to_string(b) + " event " +
                                            std::to_string(result.failed_index));
      }
      ++committed;
      Progress("loading   ", std::min(committed * kLoadBatch, lines.size()), lines.size());
      turn.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < std::max(2u, std::thread::hardware_concurrency()); ++t) {
    threads.emplace_back(worker);
  }
  for (std::thread& t : threads) t.join();
  FUPIN_RETURN_IF_ERROR(failure);
  return WriteFileDurably(paths.loaded_marker().string(),
                          "{\"events\":" + std::to_string(lines.size()) + "}\n");
}

// The supervisor token, made once and kept (mode 0600) for later runs.
Result<std::string> EnsureToken(const DemoPaths& paths) {
  if (fs::exists(paths.token())) {
    FUPIN_ASSIGN_OR_RETURN(std::string token, ReadFileBytes(paths.token().string()));
    std::string t = token;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    return t;
  }
  FUPIN_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(24));
  std::string token = "demo-" + HexEncode(bytes);
  FUPIN_RETURN_IF_ERROR(WriteFileDurably(paths.token().string(), token + "\n", 0600));
  return token;
}

// The campaign's statistics as the server answers them (so the example
// shows the API at work): the 合计 row and each 市州, as JSON rows.
Result<boost::json::array> FetchStatsRows(const std::string& url, const std::string& token) {
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<api::HttpClient> client,
                         api::HttpClient::Create(url, token));
  FUPIN_ASSIGN_OR_RETURN(api::ClientResponse response,
                         client->Get("/v1/stats?campaign=" + std::string(generator::kCampaignId) +
                                     "&level=prefecture"));
  FUPIN_ASSIGN_OR_RETURN(
      api::ClientResponse total,
      client->Get("/v1/stats?campaign=" + std::string(generator::kCampaignId) + "&level=province"));
  if (response.status != 200 || total.status != 200) {
    return Status(ErrorCode::kInternal, "GET /v1/stats answered " +
                                            std::to_string(response.status) + ": " + response.body);
  }
  boost::system::error_code ec;
  boost::json::value prefectures = boost::json::parse(response.body, ec);
  boost::json::value province = ec ? boost::json::value() : boost::json::parse(total.body, ec);
  if (ec) return Status(ErrorCode::kInternal, "GET /v1/stats answered malformed JSON");
  boost::json::array rows = province.at("rows").as_array();
  for (const boost::json::value& row : prefectures.at("rows").as_array()) rows.push_back(row);
  return rows;
}

// The 市州 that report through the intake path on the demo's first run,
// after the generated campaign's own reports: 怀化市 and 邵阳市 honestly,
// 湘西州 with one county's sales and another's 专柜 inflated (FP-15 fires on
// exactly those cells). A corrected report supersedes the earlier one in
// 上报核对.
struct DemoReport {
  std::string_view region;
  bool inflated;
};
inline constexpr DemoReport kDemoReports[] = {
    {"431200", false}, {"430500", false}, {"433100", true}};
// When the 市州 (re)submit: the day after the generated reports (12 Oct).
inline constexpr std::string_view kDemoReportDay = "2020-10-13";

// The 市州's rows of GET /v1/stats, by region code.
Result<std::map<std::string, projections::FormFigures>> FetchRegionFigures(
    api::HttpClient& client, std::string_view region) {
  FUPIN_ASSIGN_OR_RETURN(api::ClientResponse response,
                         client.Get("/v1/stats?campaign=" + std::string(generator::kCampaignId) +
                                    "&region=" + std::string(region)));
  boost::system::error_code ec;
  boost::json::value table = boost::json::parse(response.body, ec);
  if (response.status != 200 || ec) {
    return Status(ErrorCode::kInternal, "GET /v1/stats answered " +
                                            std::to_string(response.status) + ": " + response.body);
  }
  std::map<std::string, projections::FormFigures> figures;
  for (const boost::json::value& row : table.at("rows").as_array()) {
    projections::FormFigures f{};
    for (std::size_t i = 0; i < projections::kFigureCount; ++i) {
      f[i] = row.at(projections::kFigureFields[i]).to_number<int64_t>();
    }
    figures[std::string(row.at("region").as_string())] = f;
  }
  return figures;
}

// One 市州's form filled from the ledger's table (inflated if asked),
// written to DATA/intake/CODE.xlsx, read back by the intake reader like any
// uploaded form, signed with the 市州's reporter key and submitted.
Result<boost::json::object> SubmitDemoReport(const DemoPaths& paths, api::HttpClient& client,
                                             const std::string& url, const DemoReport& report,
                                             std::size_t slot,
                                             const generator::RegionTable& regions) {
  FUPIN_ASSIGN_OR_RETURN(auto figures, FetchRegionFigures(client, report.region));
  FUPIN_ASSIGN_OR_RETURN(
      projections::OfficialForm form,
      intake::ReportTemplate(generator::kCampaignName, generator::kEndsOn, report.region, regions));
  for (projections::FormRow& row : form.rows) {
    row.figures = figures[row.code];
  }
  if (report.inflated && form.rows.size() > 3) {
    auto& sales = (*form.rows[1].figures)[projections::kSalesFigure];
    sales += sales / 5 + 1'000'000;   // +20 % and 1 万元
    (*form.rows[2].figures)[3] += 2;  // 专柜
  }
  FUPIN_ASSIGN_OR_RETURN(std::string bytes, projections::RenderFormXlsx(form));
  const fs::path file = paths.intake() / (std::string(report.region) + ".xlsx");
  FUPIN_RETURN_IF_ERROR(WriteFileDurably(file.string(), bytes));
  FUPIN_ASSIGN_OR_RETURN(
      intake::FormReading reading,
      intake::ReadReportForm(bytes, generator::kCampaignId, report.region, regions));
  if (!reading.errors.empty()) {
    return Status(ErrorCode::kInternal,
                  "the demo's own form " + file.string() +
                      " does not read back: " + intake::FormErrorText(reading.errors[0]));
  }
  const std::string key_id = "reporter-" + std::string(report.region);
  // Either kind: a --guomi campaign's reporter keys are half SM2.
  FUPIN_ASSIGN_OR_RETURN(crypto::EventSigningKey key,
                         crypto::EventSigningKey::ReadPemFile(
                             (paths.campaign() / "keys" / (key_id + ".pem")).string()));
  char occurred_at[32];
  std::snprintf(occurred_at, sizeof occurred_at, "%sT09:%02zu:00+08:00", kDemoReportDay.data(),
                slot * 7);
  FUPIN_ASSIGN_OR_RETURN(std::string event,
                         SignReportEvent(*reading.form, key, key_id, occurred_at));
  SubmitTarget target;
  target.url = url;
  FUPIN_ASSIGN_OR_RETURN(SubmitSummary submitted, SubmitSignedEvents(target, {event}, false));
  if (!submitted.rejected.empty()) {
    return Status(ErrorCode::kInternal, "the ledger refused the demo report of " +
                                            std::string(report.region) + ": " +
                                            submitted.rejected[0].detail);
  }
  return boost::json::object{{"region", report.region},
                             {"file", file.string()},
                             {"key_id", key_id},
                             {"inflated", report.inflated}};
}

// The demo's intake reports, submitted once per data directory (the list
// is kept in DATA/intake/submitted.json and read back on later runs).
Result<boost::json::array> SubmitDemoReports(const DemoPaths& paths, const std::string& url,
                                             const std::string& token) {
  const fs::path marker = paths.intake() / "submitted.json";
  if (fs::exists(marker)) {
    FUPIN_ASSIGN_OR_RETURN(std::string text, ReadFileBytes(marker.string()));
    boost::system::error_code ec;
    boost::json::value kept = boost::json::parse(text, ec);
    if (!ec && kept.is_array()) return kept.as_array();
  }
  std::error_code made;
  fs::create_directories(paths.intake(), made);
  if (made) return Status(ErrorCode::kIoError, "cannot create " + paths.intake().string());
  FUPIN_ASSIGN_OR_RETURN(generator::RegionTable regions, generator::RegionTable::Hunan());
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<api::HttpClient> client,
                         api::HttpClient::Create(url, token));
  boost::json::array reports;
  for (std::size_t slot = 0; slot < std::size(kDemoReports); ++slot) {
    FUPIN_ASSIGN_OR_RETURN(
        boost::json::object submitted,
        SubmitDemoReport(paths, *client, url, kDemoReports[slot], slot, regions));
    reports.push_back(std::move(submitted));
  }
  FUPIN_RETURN_IF_ERROR(WriteFileDurably(marker.string(), boost::json::serialize(reports)));
  return reports;
}

// "  合计            专柜  30123   销售   402345.67 万元   覆盖贫困人口  123456 人"
void PrintStatsExample(const boost::json::array& rows) {
  std::cout << "The 附件统计表 (合计 and every 市州), as GET /v1/stats answers it:\n";
  for (const boost::json::value& value : rows) {
    const boost::json::object& row = value.as_object();
    std::string label = row.at("level").as_string() == "province"
                            ? std::string("合计")
                            : std::string(row.at("name").as_string());
    std::cout << "  " << row.at("region").as_string().c_str() << "  专柜 " << std::setw(6)
              << row.at("counters").as_int64() << "  销售 " << std::setw(10)
              << row.at("sales_wan_yuan").as_string().c_str() << " 万元  覆盖贫困人口 "
              << std::setw(7) << row.at("poor_people_covered").as_int64() << " 人  " << label
              << "\n";
  }
}

int Demo(const DemoOptions& options) {
  api::TerminationSignal termination;
  DemoPaths paths{options.data};
  std::error_code ec;
  fs::create_directories(paths.root, ec);
  if (ec) {
    return ReportFailure(
        "demo", Status(ErrorCode::kIoError, "cannot create " + options.data + ": " + ec.message()),
        options.json);
  }
  auto started = std::chrono::steady_clock::now();
  Result<std::string> admin_key = EnsureCampaign(paths, options);
  if (!admin_key.ok()) return ReportFailure("demo", admin_key.status(), options.json);
  if (!fs::exists(paths.root / "db" / "CURRENT")) {
    Result<GenesisInfo> genesis =
        Ledger::Init(paths.root.string(), *admin_key, "admin", SystemClock(), {},
                     options.guomi ? merkle::HashAlg::kSm3 : merkle::HashAlg::kSha256);
    if (!genesis.ok()) return ReportFailure("demo", genesis.status(), options.json);
  }
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open(paths.root.string());
  if (!ledger.ok()) return ReportFailure("demo", ledger.status(), options.json);
  // A log's hash is fixed at genesis: a reused directory must be of the
  // kind asked for.
  if (((*ledger)->info().hash == merkle::HashAlg::kSm3) != options.guomi) {
    return ReportFailure(
        "demo",
        Status(ErrorCode::kInvalidArgument,
               options.data + " holds " +
                   std::string((*ledger)->info().hash == merkle::HashAlg::kSm3 ? "an SM3"
                                                                               : "a SHA-256") +
                   " ledger; " + (options.guomi ? "demo --guomi" : "demo without --guomi") +
                   " needs another --data"),
        options.json);
  }
  if (!fs::exists(paths.loaded_marker())) {
    Status loaded = LoadCampaign(**ledger, paths);
    if (!loaded.ok()) return ReportFailure("demo", loaded, options.json);
  }
  double ready_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  Result<std::string> token = EnsureToken(paths);
  if (!token.ok()) return ReportFailure("demo", token.status(), options.json);
  Result<api::ServerConfig> config = DemoServerConfig(options.listen, *token);
  if (!config.ok()) return ReportFailure("demo", config.status(), options.json);
  std::vector<api::ServedWitness> witnesses;
  boost::json::array witness_list;
  for (std::size_t i = 0; i < std::size(kDemoWitnessNames); ++i) {
    Result<api::ServedWitness> started = StartWitness(
        paths.witness(i), kDemoWitnessNames[i], (*ledger)->note_key(), (*ledger)->info().hash);
    if (!started.ok()) return ReportFailure("demo", started.status(), options.json);
    const note::VerifierKey& key = started->witness->verifier_key();
    config->witnesses.witnesses.push_back({key, started->server->url()});
    witness_list.push_back({{"name", key.name},
                            {"url", started->server->url()},
                            {"vkey", note::FormatVerifierKey(key)}});
    witnesses.push_back(std::move(started).value());
  }
  config->witnesses.quorum = kDemoWitnessQuorum;
  const WitnessPolicy witness_policy = config->witnesses;
  bool serves_web = config->web_root.has_value();
  // The generated campaign's province-wide supervisor key: the web page
  // signs flag resolutions with it (TEST ONLY, derived from the seed).
  std::string supervisor_key = (paths.campaign() / "keys" / "supervisor-430000-1.pem").string();
  {
    api::Server server(**ledger, std::move(config).value());
    Status serving = server.Start();
    if (!serving.ok()) return ReportFailure("demo", serving, options.json);
    std::string url = server.url();
    std::string auth = "-H 'Authorization: Bearer " + *token + "'";
    const bool witnessed = AwaitWitnessedCheckpoint(url, std::chrono::seconds(15));
    Result<boost::json::array> reports = SubmitDemoReports(paths, url, *token);
    if (!reports.ok()) return ReportFailure("demo", reports.status(), options.json);
    Result<boost::json::array> stats = FetchStatsRows(url, *token);
    if (!stats.ok()) return ReportFailure("demo", stats.status(), options.json);
    std::unique_ptr<mirror::ServedMirror> mirror;
    boost::json::value mirror_json = nullptr;
    if (options.mirror) {
      Result<std::unique_ptr<mirror::ServedMirror>> started =
          StartDemoMirror(paths, options, url, *token, witness_policy);
      if (!started.ok()) return ReportFailure("demo", started.status(), options.json);
      mirror = std::move(started).value();
      const std::string mirror_url = mirror->server().url();
      mirror_json =
          boost::json::object{{"url", mirror_url},
                              {"web", serves_web ? boost::json::value(mirror_url + "/") : nullptr},
                              {"data", paths.mirror().string()},
                              {"mirror_of", url},
                              {"tree_size", static_cast<int64_t>(mirror->ledger().tree_size())}};
    }
    boost::json::object ready{{"url", url},
                              {"supervisor_token", *token},
                              {"tree_size", static_cast<int64_t>((*ledger)->tree_size())},
                              {"log_id", (*ledger)->info().log_id},
                              {"hash", crypto::HashAlgName((*ledger)->info().hash)},
                              {"data", options.data},
                              {"ready_seconds", ready_seconds},
                              {"campaign", generator::kCampaignId},
                              {"web", serves_web ? boost::json::value(url + "/") : nullptr},
                              {"supervisor_key_file", supervisor_key},
                              {"supervisor_key_id", "supervisor-430000-1"},
                              {"origin", (*ledger)->info().origin},
                              {"vkey", (*ledger)->info().vkey},
                              {"witnesses", witness_list},
                              {"witness_quorum", kDemoWitnessQuorum},
                              {"witnessed", witnessed},
                              {"mirror", mirror_json},
                              {"reports", *reports},
                              {"stats_example", *stats}};
    if (options.json) {
      PrintJson(ready);
    } else {
      std::cout << "fupin-ledger demo: a generated Hunan campaign (" << (*ledger)->tree_size()
                << " records) is served at " << url << "\n"
                << "  data directory:   " << options.data << " (reused on the next run)\n"
                << "  hash:             "
                << ((*ledger)->info().hash == merkle::HashAlg::kSm3
                        ? "SM3 (GB/T 32905); the campaign's keys are half SM2, half Ed25519"
                        : "SHA-256 (demo --guomi runs an SM3 log with SM2 keys)")
                << "\n"
                << "  supervisor token: " << *token << "\n";
      if (serves_web) {
        std::cout << "  web page:         " << url << "/  (log in with the token; to resolve "
                  << "flags, load the key " << supervisor_key << ", key id supervisor-430000-1)\n";
      } else {
        std::cout << "  web page:         not built (bash scripts/build-web.sh)\n";
      }
      std::cout << "  witnesses:        ";
      for (std::size_t i = 0; i < witnesses.size(); ++i) {
        std::cout << (i > 0 ? ", " : "") << kDemoWitnessNames[i] << " at "
                  << witnesses[i].server->url();
      }
      std::cout << " (both must cosign a checkpoint before it is served"
                << (witnessed ? "" : "; none cosigned yet") << ")\n";
      if (mirror) {
        std::cout << "  mirror:           " << mirror->server().url() << "/  (data "
                  << paths.mirror().string() << ", every record re-verified; "
                  << "GET /v1/mirror/status)\n";
      } else {
        std::cout << "  mirror:           none (demo --mirror starts one beside the ledger)\n";
      }
      std::cout << "  市州 reports:     ";
      for (std::size_t i = 0; i < reports->size(); ++i) {
        const boost::json::object& r = (*reports)[i].as_object();
        std::cout << (i > 0 ? ", " : "") << r.at("file").as_string()
                  << (r.at("inflated").as_bool() ? " (inflated)" : "");
      }
      std::cout << "\n                    (filled forms read, signed and submitted as report "
                << "import does; see 上报核对 in the web page, or upload them in 上报)\n";
      std::cout << "\n"
                << "Try:\n"
                << "  curl -s " << url << "/checkpoint\n"
                << "  curl -s " << auth << " " << url << "/v1/checkpoint\n"
                << "  curl -s " << auth << " '" << url << "/v1/events?from=0&limit=3'\n"
                << "  curl -s " << auth << " '" << url << "/v1/proof/inclusion?seq=41'\n"
                << "  curl -s " << auth << " '" << url
                << "/v1/stats?campaign=" << generator::kCampaignId << "&level=prefecture'\n"
                << "  curl -s " << auth << " '" << url
                << "/v1/targets?campaign=" << generator::kCampaignId << "'\n"
                << "  curl -s " << auth << " '" << url << "/v1/flags?status=open&limit=5'\n"
                << "  curl -s " << auth << " '" << url
                << "/v1/reports?campaign=" << generator::kCampaignId << "'\n"
                << "  curl -s " << auth << " -o stats.xlsx '" << url
                << "/v1/stats?campaign=" << generator::kCampaignId << "&format=xlsx'\n\n";
      PrintStatsExample(*stats);
      std::cout << "\nCtrl-C stops the server cleanly.\n" << std::flush;
    }
    termination.Wait();
    mirror.reset();
    server.Stop();
  }
  witnesses.clear();
  ledger->reset();
  return kExitOk;
}

}  // namespace

void AddDemoCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd =
      app.add_subcommand("demo",
                         "Generate a Hunan campaign, load it into a ledger in the data directory "
                         "(reused if present) and serve it with a supervisor token until Ctrl-C");
  cmd->add_option("--data", options->data, "Data directory")->capture_default_str();
  cmd->add_option("--listen", options->listen, "HOST:PORT to serve on")->capture_default_str();
  cmd->add_option("--events", options->events, "Size of the generated campaign (events)")
      ->capture_default_str();
  cmd->add_flag("--mirror", options->mirror,
                "Also run a verifying mirror of the ledger (data in DATA/mirror) and serve it");
  cmd->add_option("--mirror-listen", options->mirror_listen, "HOST:PORT the mirror serves on")
      ->capture_default_str();
  cmd->add_flag("--guomi", options->guomi,
                "国密: an SM3 log (init --hash sm3) whose campaign keys are half SM2, in "
                "data/demo-guomi unless --data is given");
  cmd->add_flag("--json", options->json, "Print the ready line as JSON");
  cmd->callback([options, &context] {
    if (options->guomi && options->data == kDemoData) options->data = std::string(kDemoGuomiData);
    context.exit_code = Demo(*options);
  });
}

}  // namespace fupin::cli
