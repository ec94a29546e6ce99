#include "api/server.h"

#include <boost/asio/ip/address.hpp>
#include <chrono>

#include "api/listener.h"
#include "api/response.h"
#include "api/router.h"
#include "api/tls_context.h"

namespace fupin::api {
namespace {

namespace net = boost::asio;

// After the write deadline has had its chance, connections get this much
// longer to close on their own before Stop() cuts them.
inline constexpr std::chrono::milliseconds kShutdownGrace{1000};

}  // namespace

Server::Server(Ledger& ledger, ServerConfig config)
    : config_(std::move(config)),
      tokens_(config_.tokens),
      state_{ledger, tokens_, metrics_, nullptr} {
  services_.limits = config_.limits;
  services_.metrics = &metrics_;
  services_.registry = &registry_;
  services_.handle = [this](const Request& request,
                            std::chrono::steady_clock::time_point received) {
    return Handle(request, received);
  };
}

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
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(config_.listen.host, ec);
  if (ec) {
    return Status(ErrorCode::kInvalidArgument,
                  "listen address \"" + config_.listen.host + "\" is not an IP address");
  }
  if (config_.tls) {
    FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<net::ssl::context> tls, LoadTlsContext(*config_.tls));
    tls_ = std::move(tls);
    services_.tls = tls_.get();
  }
  if (config_.web_root) {
    FUPIN_ASSIGN_OR_RETURN(WebSite web, WebSite::Load(*config_.web_root));
    web_ = std::make_unique<WebSite>(std::move(web));
    state_.web = web_.get();
  }
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<AccessLog> access_log,
                         AccessLog::Open(state_.ledger.store(), SystemClock()));
  access_log_ = std::move(access_log);
  state_.access_log = access_log_.get();
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<projections::LedgerProjections> projections,
                         projections::LedgerProjections::Open(state_.ledger));
  projections_ = std::move(projections);
  state_.projections = projections_.get();
  projections_->runner().Start();
  FUPIN_ASSIGN_OR_RETURN(
      rules::RuleConfig rule_config,
      config_.rules ? Result<rules::RuleConfig>(*config_.rules) : rules::DefaultRuleConfig());
  Result<std::unique_ptr<rules::RuleRunner>> rule_runner =
      rules::RuleRunner::Open(state_.ledger, rule_config);
  if (!rule_runner.ok()) return rule_runner.status().WithContext("rules");
  rules_ = std::move(rule_runner).value();
  state_.rules = rules_.get();
  rules_->Start();
  pool_ = std::make_unique<HandlerPool>(EffectiveWorkerThreads(config_.limits));
  services_.pool = pool_.get();
  listener_ = std::make_shared<Listener>(io_, services_);
  FUPIN_RETURN_IF_ERROR(listener_->Open(net::ip::tcp::endpoint(address, config_.listen.port)));
  work_.emplace(io_.get_executor());
  listener_->Start();
  std::size_t threads = EffectiveIoThreads(config_.limits);
  for (std::size_t i = 0; i < threads; ++i) {
    io_threads_.emplace_back([this] { io_.run(); });
  }
  started_ = true;
  return Status::Ok();
}

uint16_t Server::port() const { return listener_ ? listener_->port() : 0; }

std::string Server::url() const {
  bool v6 = config_.listen.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + config_.listen.host + "]" : config_.listen.host;
  return std::string(config_.tls ? "https://" : "http://") + host + ":" + std::to_string(port());
}

void Server::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  listener_->Stop();
  registry_.ShutdownAll();
  // Every accepted handler finishes (appends commit, callers are woken);
  // later ones are refused with 503 by their sessions.
  pool_->Drain();
  registry_.WaitUntilEmpty(config_.limits.write_timeout + kShutdownGrace);
  work_.reset();
  io_.stop();
  for (std::thread& thread : io_threads_) thread.join();
  io_threads_.clear();
  rules_->Stop();
  // Saves the projections' state, so a restart resumes instead of folding.
  projections_->runner().Stop();
}

}  // namespace fupin::api
