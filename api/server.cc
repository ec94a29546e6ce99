#include "api/server.h"

#include <chrono>

#include "api/response.h"
#include "api/router.h"
#include "rules/catalog.h"

namespace fupin::api {

Server::Server(Ledger& ledger, ServerConfig config)
    : config_(std::move(config)),
      tokens_(config_.tokens),
      state_{ledger, tokens_, metrics_, nullptr},
      host_(
          config_.limits,
          [this](const Request& request, std::chrono::steady_clock::time_point received) {
            return Handle(request, received);
          },
          metrics_) {}

Server::~Server() { Stop(); }

Response Server::Handle(const Request& request, std::chrono::steady_clock::time_point received) {
  Routed routed;
  try {
    routed = HandleRequest(request, state_);
  } catch (const std::exception& e) {
    // Only allocation failures can get here (handlers report errors as
    // values); answer instead of tearing the connection down.
    routed.response = ProblemResponse(
        request, Status(ErrorCode::kInternal, std::string("internal error: ") + e.what()));
  }
  // Records and checkpoints at a size never change once served.
  if (routed.route == RouteId::kGetEvent || routed.route == RouteId::kCheckpointAt) {
    MarkImmutable(request, routed.response);
  }
  if (!routed.token_id.empty() && access_log_) {
    Status logged =
        access_log_->Record(routed.token_id, request.method_string(), RouteTemplate(routed.route),
                            request.target(), routed.entity, routed.response.result_int());
    if (!logged.ok()) {
      routed.response = ProblemResponse(
          request,
          Status(ErrorCode::kUnavailable,
                 "the access log cannot be written, so nothing is served: " + logged.ToString()));
    }
  }
  CompressIfAccepted(request, routed.response);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - received).count();
  metrics_.ObserveRequest(routed.route, routed.response.result_int(), seconds);
  return std::move(routed.response);
}

Status Server::Start() {
  if (started_) return Status(ErrorCode::kInvalidArgument, "server already started");
  if (config_.web_root) {
    FUPIN_ASSIGN_OR_RETURN(WebSite web, WebSite::Load(*config_.web_root));
    web_ = std::make_unique<WebSite>(std::move(web));
    state_.web = web_.get();
  }
  FUPIN_ASSIGN_OR_RETURN(access_log_, AccessLog::Open(state_.ledger.store(), SystemClock()));
  state_.access_log = access_log_.get();
  FUPIN_ASSIGN_OR_RETURN(projections_, projections::LedgerProjections::Open(state_.ledger));
  state_.projections = projections_.get();
  state_.stats_cache = &stats_cache_;
  projections_->runner().Start();
  FUPIN_ASSIGN_OR_RETURN(
      rules::RuleConfig rule_config,
      config_.rules ? Result<rules::RuleConfig>(*config_.rules) : rules::DefaultRuleConfig());
  state_.report_tolerance_bp = rules::ReportToleranceBp(rule_config);
  Result<std::unique_ptr<rules::RuleRunner>> rule_runner = rules::RuleRunner::Open(
      state_.ledger, rule_config, {.append_flags = state_.mirror == nullptr});
  if (!rule_runner.ok()) {
    projections_->runner().Stop();
    return rule_runner.status().WithContext("rules");
  }
  rules_ = std::move(rule_runner).value();
  state_.rules = rules_.get();
  rules_->Start();
  if (!config_.witnesses.witnesses.empty()) {
    witnesses_ = std::make_unique<WitnessCollector>(state_.ledger, config_.witnesses,
                                                    config_.witness_interval);
    state_.witnesses = witnesses_.get();
    witnesses_->Start();
  }
  Status serving = host_.Start(config_.listen, config_.tls);
  if (!serving.ok()) {
    if (witnesses_) witnesses_->Stop();
    rules_->Stop();
    projections_->runner().Stop();
    return serving;
  }
  started_ = true;
  return Status::Ok();
}

void Server::RecordsArrived() {
  if (!started_ || stopped_) return;
  projections_->runner().Notify();
  rules_->Notify();
}

uint16_t Server::port() const { return host_.port(); }

std::string Server::url() const { return host_.url(); }

void Server::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  host_.Stop();
  if (witnesses_) witnesses_->Stop();
  rules_->Stop();
  // Saves the projections' state, so a restart resumes instead of folding.
  projections_->runner().Stop();
}

}  // namespace fupin::api
