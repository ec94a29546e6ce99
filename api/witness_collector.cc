#include "api/witness_collector.h"

#include <charconv>
#include <iostream>

#include "api/client.h"
#include "api/witness_server.h"
#include "ledger/codec.h"
#include "ledger/tlog_checkpoint.h"

namespace fupin::api {
namespace {

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Base64Of(const merkle::Hash& hash) {
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

// tlog-witness §"add-checkpoint": the old size, the proof, a blank line,
// the checkpoint with the log's signature.
std::string AddCheckpointBody(uint64_t old_size, const std::vector<merkle::Hash>& proof,
                              const note::Note& checkpoint, const note::VerifierKey& log_key) {
  std::string body = "old " + std::to_string(old_size) + "\n";
  for (const merkle::Hash& hash : proof) body += Base64Of(hash) + "\n";
  body += "\n";
  note::Note signed_by_log{checkpoint.text, {}};
  for (const note::NoteSignature* signature : note::SignaturesBy(checkpoint, log_key)) {
    signed_by_log.signatures.push_back(*signature);
  }
  return body + note::FormatNote(signed_by_log);
}

}  // namespace

WitnessCollector::WitnessCollector(Ledger& ledger, WitnessPolicy policy,
                                   std::chrono::milliseconds interval)
    : ledger_(ledger), policy_(std::move(policy)), interval_(interval) {
  for (const PolicyWitness& witness : policy_.witnesses) {
    progress_.push_back({witness.key.name, witness.url});
  }
}

WitnessCollector::~WitnessCollector() { Stop(); }

void WitnessCollector::Start() {
  // The newest stored note that already meets the quorum (a restart keeps
  // serving what was witnessed before).
  Result<std::optional<uint64_t>> witnessed =
      ledger_.NewestWitnessedSize(policy_, kWitnessedSearchDepth);
  if (witnessed.ok() && witnessed->has_value()) {
    witnessed_size_.store(**witnessed, std::memory_order_release);
  }
  for (std::size_t i = 0; i < policy_.witnesses.size(); ++i) {
    threads_.emplace_back([this, i] { Run(i); });
  }
}

void WitnessCollector::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

std::vector<WitnessProgress> WitnessCollector::progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  return progress_;
}

void WitnessCollector::Run(std::size_t index) {
  const PolicyWitness& witness = policy_.witnesses[index];
  std::unique_ptr<HttpClient> client;
  uint64_t known_size = 0;  // learned from the witness's 409s
  std::chrono::milliseconds wait = std::chrono::milliseconds(0);
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, wait, [this] { return stopping_; })) return;
    }
    Status outcome = Status::Ok();
    if (client == nullptr) {
      Result<std::unique_ptr<HttpClient>> created = HttpClient::Create(witness.url);
      if (created.ok()) {
        client = std::move(created).value();
      } else {
        outcome = created.status();
      }
    }
    if (client != nullptr) outcome = Submit(index, *client, known_size);
    std::lock_guard<std::mutex> lock(mu_);
    WitnessProgress& progress = progress_[index];
    if (outcome.ok()) {
      if (!progress.last_error.empty()) {
        std::cerr << "fupin-ledger: witness " << witness.key.name << " cosigns again (tree size "
                  << progress.cosigned_size << ")\n";
      }
      progress.last_error.clear();
      wait = interval_;
    } else if (outcome.code() == ErrorCode::kAlreadyExists) {
      wait = interval_;  // nothing new to cosign
    } else {
      ++progress.failures;
      // One line per change of fault, not per retry; a 422 or a rollback is
      // a witness reporting a fork (docs/trust.md).
      if (progress.last_error != outcome.ToString()) {
        std::cerr << "fupin-ledger: witness " << witness.key.name << ": " << outcome.ToString()
                  << "\n";
      }
      progress.last_error = outcome.ToString();
      wait = std::min(kMaxWitnessBackoff, std::max(interval_, 2 * wait));
    }
  }
}

Status WitnessCollector::Submit(std::size_t index, HttpClient& client, uint64_t& known_size) {
  const PolicyWitness& witness = policy_.witnesses[index];
  FUPIN_ASSIGN_OR_RETURN(Checkpoint latest, ledger_.LatestCheckpoint());
  const uint64_t size = latest.tree_size;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (progress_[index].cosigned_size == size) {
      return Status(ErrorCode::kAlreadyExists, "already cosigned");
    }
  }
  FUPIN_ASSIGN_OR_RETURN(note::Note checkpoint, ledger_.NoteAt(size));
  // A 409 teaches the witness's size; one more try then uses it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (known_size > size) {
      return Status(ErrorCode::kDataLoss, witness.key.name + " has cosigned tree size " +
                                              std::to_string(known_size) +
                                              ", beyond this ledger's " + std::to_string(size) +
                                              ": the log was rolled back or forked");
    }
    std::vector<merkle::Hash> proof;
    if (known_size > 0) {
      FUPIN_ASSIGN_OR_RETURN(proof, ledger_.ConsistencyPath(known_size, size));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++progress_[index].submissions;
    }
    FUPIN_ASSIGN_OR_RETURN(
        ClientResponse response,
        client.Post("/add-checkpoint",
                    AddCheckpointBody(known_size, proof, checkpoint, ledger_.note_key()),
                    "text/plain; charset=utf-8"));
    if (response.status == 409 && response.content_type == kTlogSizeContentType) {
      uint64_t learned = 0;
      const std::string_view body(response.body);
      auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), learned);
      if (ec != std::errc() || std::string_view(end, body.data() + body.size()) != "\n") {
        return Status(ErrorCode::kMalformedEvent,
                      "409 body of " + witness.key.name + " is not a tree size");
      }
      known_size = learned;
      continue;
    }
    if (response.status != 200) {
      return Status(ErrorCode::kUnavailable, witness.key.name + " answered " +
                                                 std::to_string(response.status) + ": " +
                                                 response.body.substr(0, 200));
    }
    // The answer is signature lines; only this witness's valid ones count.
    Result<note::Note> answer = note::ParseNote(checkpoint.text + "\n" + response.body);
    if (!answer.ok()) return answer.status().WithContext(witness.key.name);
    std::vector<note::NoteSignature> cosignatures;
    for (const note::NoteSignature* line : note::SignaturesBy(*answer, witness.key)) {
      if (tlog::VerifyCosignature(witness.key, checkpoint.text, *line)) {
        cosignatures.push_back(*line);
      }
    }
    if (cosignatures.empty()) {
      return Status(ErrorCode::kBadSignature,
                    witness.key.name + " answered without a valid cosignature of its key");
    }
    FUPIN_RETURN_IF_ERROR(ledger_.AddCosignatures(size, cosignatures));
    known_size = size;
    {
      std::lock_guard<std::mutex> lock(mu_);
      progress_[index].cosigned_size = size;
      progress_[index].last_cosigned_ms = WallClockMs();
    }
    ConsiderWitnessed(size);
    return Status::Ok();
  }
  return Status(ErrorCode::kVersionConflict,
                witness.key.name + " kept answering 409 (its size changes under us)");
}

void WitnessCollector::ConsiderWitnessed(uint64_t size) {
  Result<note::Note> stored = ledger_.NoteAt(size);
  if (!stored.ok() || !JudgeCosignatures(policy_, stored->text, *stored).quorum_met) return;
  uint64_t current = witnessed_size_.load(std::memory_order_acquire);
  while (size > current &&
         !witnessed_size_.compare_exchange_weak(current, size, std::memory_order_acq_rel)) {
  }
}

}  // namespace fupin::api
