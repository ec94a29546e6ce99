#include "cli/event_submitter.h"

#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <iostream>
#include <optional>
#include <thread>

namespace fupin::cli {
namespace {

// Backoff between retries: doubles from the first to the cap, so a server
// restarting for a few seconds is waited for without hammering it.
inline constexpr std::chrono::milliseconds kFirstBackoff{200};
inline constexpr std::chrono::milliseconds kMaxBackoff{5000};

template <typename Queued>
std::string BatchBody(const std::vector<Queued>& batch) {
  std::string body = "{\"events\":[";
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (i > 0) body += ',';
    body += batch[i].text;
  }
  body += "]}";
  return body;
}

}  // namespace

Result<std::unique_ptr<EventSubmitter>> EventSubmitter::Create(const SubmitTarget& target,
                                                               bool progress) {
  if (target.batch == 0 || target.batch > kMaxSubmitBatch) {
    return Status(ErrorCode::kInvalidArgument,
                  "batch must be 1 to " + std::to_string(kMaxSubmitBatch) + " events");
  }
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<api::HttpClient> client,
                         api::HttpClient::Create(target.url, target.token, target.cacert));
  return std::unique_ptr<EventSubmitter>(
      new EventSubmitter(std::move(client), target, progress && isatty(STDERR_FILENO) == 1));
}

EventSubmitter::EventSubmitter(std::unique_ptr<api::HttpClient> client, const SubmitTarget& target,
                               bool progress)
    : client_(std::move(client)),
      batch_size_(target.batch),
      retries_(target.retries),
      progress_(progress) {}

EventSubmitter::~EventSubmitter() = default;

Status EventSubmitter::Add(std::size_t number, std::string event) {
  ++summary_.events;
  queue_.push_back({number, std::move(event)});
  if (queue_.size() < batch_size_) return Status::Ok();
  std::vector<Queued> batch;
  batch.swap(queue_);
  return Post(std::move(batch));
}

Status EventSubmitter::Finish() {
  if (!queue_.empty()) {
    std::vector<Queued> batch;
    batch.swap(queue_);
    FUPIN_RETURN_IF_ERROR(Post(std::move(batch)));
  }
  ShowProgress(/*final=*/true);
  return Status::Ok();
}

Status EventSubmitter::Post(std::vector<Queued> batch) {
  while (!batch.empty()) {
    FUPIN_ASSIGN_OR_RETURN(api::ClientResponse response, PostWithRetries(BatchBody(batch)));
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(response.body, ec);
    const boost::json::object* object = ec ? nullptr : parsed.if_object();
    if (response.status == 200 || response.status == 201) {
      if (object == nullptr) return Status(ErrorCode::kIoError, "unreadable server answer");
      Count(*object);
      break;
    }
    if (response.status == 413 && batch.size() > 1) {
      std::vector<Queued> tail(batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2),
                               batch.end());
      batch.resize(batch.size() / 2);
      FUPIN_RETURN_IF_ERROR(Post(std::move(tail)));
      continue;
    }
    std::string code = "http_" + std::to_string(response.status);
    std::string detail = response.body;
    std::optional<std::size_t> index;
    if (object != nullptr) {
      if (const auto* c = object->if_contains("code"); c && c->is_string()) code = c->as_string();
      if (const auto* d = object->if_contains("detail"); d && d->is_string()) {
        detail = d->as_string();
      }
      if (const auto* i = object->if_contains("index");
          i && i->is_int64() && i->as_int64() >= 0 &&
          static_cast<std::size_t>(i->as_int64()) < batch.size()) {
        index = static_cast<std::size_t>(i->as_int64());
      }
    }
    if (!index && batch.size() == 1) index = 0;
    if (!index) {
      // The request as a whole was refused: every event shares the reason.
      for (const Queued& q : batch) summary_.rejected.push_back({q.number, code, detail});
      break;
    }
    summary_.rejected.push_back({batch[*index].number, code, detail});
    batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(*index));
  }
  ShowProgress(/*final=*/false);
  return Status::Ok();
}

Result<api::ClientResponse> EventSubmitter::PostWithRetries(const std::string& body) {
  std::chrono::milliseconds backoff = kFirstBackoff;
  for (int attempt = 0;; ++attempt) {
    Result<api::ClientResponse> response = client_->Post("/v1/events", body);
    const bool transient = !response.ok() || response->status >= 500;
    if (!transient || attempt >= retries_) {
      if (!response.ok()) return response.status();
      if (response->status >= 500) {
        return Status(ErrorCode::kIoError, "server answered " + std::to_string(response->status) +
                                               ": " + response->body);
      }
      return response;
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

void EventSubmitter::Count(const boost::json::object& answer) {
  if (const auto* size = answer.if_contains("tree_size"); size && size->is_int64()) {
    summary_.tree_size = static_cast<uint64_t>(size->as_int64());
  }
  const auto* results = answer.if_contains("results");
  if (results == nullptr || !results->is_array()) return;
  for (const boost::json::value& result : results->as_array()) {
    const auto* status = result.is_object() ? result.as_object().if_contains("status") : nullptr;
    if (status != nullptr && status->is_string() && status->as_string() == "duplicate") {
      ++summary_.duplicates;
    } else {
      ++summary_.appended;
    }
  }
}

void EventSubmitter::ShowProgress(bool final) const {
  if (!progress_) return;
  std::cerr << "\rsubmit: " << summary_.events << " events, " << summary_.appended << " appended, "
            << summary_.duplicates << " duplicates, " << summary_.rejected.size()
            << " rejected, tree size " << summary_.tree_size << (final ? "\n" : "") << std::flush;
}

Result<SubmitSummary> SubmitSignedEvents(const SubmitTarget& target,
                                         std::vector<std::string> canonical_events, bool progress) {
  FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<EventSubmitter> submitter,
                         EventSubmitter::Create(target, progress));
  const std::size_t total = canonical_events.size();
  for (std::size_t i = 0; i < total; ++i) {
    Status added = submitter->Add(i + 1, std::move(canonical_events[i]));
    if (added.ok() && i + 1 == total) added = submitter->Finish();
    if (!added.ok()) {
      const SubmitSummary& s = submitter->summary();
      return added.WithContext(std::to_string(s.appended + s.duplicates) + " of " +
                               std::to_string(total) + " events acknowledged, then");
    }
  }
  if (total == 0) return SubmitSummary{};
  return submitter->summary();
}

}  // namespace fupin::cli
