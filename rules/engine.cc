// RuleEngine (engine.h): the fold that runs the rules, and the dedupe that
// turns their raises into flags.
#include "rules/engine.h"

#include <algorithm>
#include <span>
#include <utility>

#include "ledger/codec.h"
#include "ledger/crypto.h"
#include "rules/rule_util.h"

namespace fupin::rules {
namespace {

// Bytes of the SHA-256 that name a flag (and make its event's UUID).
inline constexpr std::size_t kFlagIdBytes = 16;

// The dedupe key; also the middle of the flag id's hash input.
std::string DedupeKey(std::string_view rule, std::string_view subject, std::string_view window) {
  std::string key;
  key.reserve(rule.size() + subject.size() + window.size() + 2);
  key.append(rule).append("\n").append(subject).append("\n").append(window);
  return key;
}

crypto::Digest FlagDigest(std::string_view dedupe_key, uint32_t generation) {
  return crypto::Sha256("fupin-ledger/flag/v1\n" + std::string(dedupe_key) + "\n" +
                        std::to_string(generation));
}

// RFC 9562 UUIDv8 from the first 16 bytes of the digest: version nibble 8,
// variant bits 10, lower-case 8-4-4-4-12.
std::string FlagEventId(const crypto::Digest& digest) {
  std::array<uint8_t, kFlagIdBytes> bytes;
  std::copy_n(digest.begin(), kFlagIdBytes, bytes.begin());
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x80);
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
  const std::string hex = HexEncode(std::span<const uint8_t>(bytes));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace

// Receives one rule's raises while it evaluates one record.
class RuleEngine::Sink final : public FlagSink {
 public:
  Sink(RuleEngine& engine, const Rule& rule, const DecodedRecord& record,
       std::vector<RaisedFlag>& raised)
      : engine_(engine), rule_(rule), record_(record), raised_(raised) {}

  void Raise(FlagDraft draft) override {
    draft.evidence = SortedEvidence(std::move(draft.evidence));
    if (draft.evidence.empty()) draft.evidence.push_back(record_.seq);
    const std::string key = DedupeKey(rule_.id(), draft.subject, draft.window);
    if (auto open = engine_.open_by_key_.find(key); open != engine_.open_by_key_.end()) {
      AddExtraEvidence(open->second, draft.evidence);
    } else {
      Open(key, std::move(draft));
    }
  }

 private:
  void AddExtraEvidence(const std::string& flag_id, const std::vector<uint64_t>& evidence) {
    FlagTrack& track = engine_.flags_.at(flag_id);
    uint64_t& newest = engine_.newest_evidence_.at(flag_id);
    for (uint64_t seq : evidence) {
      if (seq <= newest) continue;
      newest = seq;
      ++track.extra_evidence_total;
      if (track.extra_evidence.size() < engine_.limits_.max_extra_evidence) {
        track.extra_evidence.push_back(seq);
      }
    }
  }

  void Open(const std::string& key, FlagDraft draft) {
    uint32_t& next_generation = engine_.generation_by_key_[key];
    const uint32_t generation = next_generation++;
    const crypto::Digest digest = FlagDigest(key, generation);
    const std::string flag_id =
        "F-" + HexEncode(std::span<const uint8_t>(digest.data(), kFlagIdBytes));

    FlagTrack track;
    track.rule = std::string(rule_.id());
    track.subject = draft.subject;
    track.window = draft.window;
    track.generation = generation;
    engine_.flags_[flag_id] = std::move(track);
    engine_.newest_evidence_[flag_id] = draft.evidence.back();
    engine_.open_by_key_[key] = flag_id;
    ++engine_.open_count_;
    ++engine_
          .raised_counts_[{std::string(rule_.id()), std::string(FlagSeverityName(draft.severity))}];

    RaisedFlag flag;
    flag.event_id = FlagEventId(digest);
    // The last evidence is the record under evaluation for raises from
    // OnRecord; a window closed by OnClock is dated by the clock that
    // closed it.
    flag.occurred_at_ms =
        draft.evidence.back() == record_.seq ? record_.occurred_at_ms : engine_.clock_ms_;
    flag.window = std::move(draft.window);
    flag.decided_at = record_.seq;
    FlagRaised& body = flag.body;
    body.flag_id = flag_id;
    body.rule = std::string(rule_.id());
    body.severity = draft.severity;
    body.subject = std::move(draft.subject);
    body.region = std::move(draft.region);
    const std::size_t kept = std::min(draft.evidence.size(), engine_.limits_.max_evidence);
    body.evidence.assign(draft.evidence.begin(),
                         draft.evidence.begin() + static_cast<std::ptrdiff_t>(kept));
    body.summary = std::move(draft.summary);
    body.details = std::move(draft.details);
    if (kept < draft.evidence.size()) {
      // The body keeps the first seqs; say how many there were.
      body.details["evidence_total"] = static_cast<int64_t>(draft.evidence.size());
    }
    raised_.push_back(std::move(flag));
  }

  RuleEngine& engine_;
  const Rule& rule_;
  const DecodedRecord& record_;
  std::vector<RaisedFlag>& raised_;
};

Result<std::unique_ptr<RuleEngine>> RuleEngine::Create(const RuleConfig& config,
                                                       RuleEngineLimits limits) {
  FUPIN_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<Rule>> rules, BuildRules(config));
  return std::unique_ptr<RuleEngine>(new RuleEngine(std::move(rules), config.clock_types, limits,
                                                    RuleConfigDigest(config, limits)));
}

RuleEngine::RuleEngine(std::vector<std::unique_ptr<Rule>> rules, std::vector<EventType> clock_types,
                       RuleEngineLimits limits, std::string config_digest)
    : rules_(std::move(rules)),
      clock_type_(kEventTypeCount, false),
      limits_(limits),
      config_digest_(std::move(config_digest)) {
  for (EventType type : clock_types) clock_type_[static_cast<std::size_t>(type)] = true;
  // The engine's own output never moves the clock, whatever the config.
  clock_type_[static_cast<std::size_t>(EventType::kFlagRaised)] = false;
}

void RuleEngine::Apply(const DecodedRecord& record, std::vector<RaisedFlag>& raised) {
  position_ = record.seq + 1;
  entities_.Apply(record);
  statistics_.Apply(record);
  // Flags in the log are the engine's own decisions (or another config's):
  // nothing for the rules to evaluate.
  if (record.type == EventType::kFlagRaised) return;
  if (const auto* resolved = std::get_if<FlagResolved>(&record.body)) {
    auto flag = flags_.find(resolved->flag_id);
    if (flag != flags_.end() && flag->second.open) {
      flag->second.open = false;
      --open_count_;
      open_by_key_.erase(DedupeKey(flag->second.rule, flag->second.subject, flag->second.window));
    }
  }

  const int64_t previous_clock = clock_ms_;
  if (clock_type_[static_cast<std::size_t>(record.type)] && record.occurred_at_ms > clock_ms_) {
    clock_ms_ = record.occurred_at_ms;
  }
  const World world{entities_.catalog(), statistics_.state(), clock_ms_};
  for (const std::unique_ptr<Rule>& rule : rules_) {
    Sink sink(*this, *rule, record, raised);
    rule->OnRecord(record, world, sink);
  }
  if (clock_ms_ > previous_clock) {
    for (const std::unique_ptr<Rule>& rule : rules_) {
      Sink sink(*this, *rule, record, raised);
      rule->OnClock(previous_clock, record, world, sink);
    }
  }
}

}  // namespace fupin::rules
