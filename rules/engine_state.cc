// The rule engine's and the flag book's saved state (engine.h, "Saved
// state"; flag_book.h): snapshot_io encodings, read back field by field.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "ledger/crypto.h"
#include "projections/snapshot_io.h"
#include "rules/engine.h"
#include "rules/flag_book.h"

namespace fupin::rules {
namespace {

using snapshot_io::Reader;
using snapshot_io::Writer;

template <typename Enum>
Enum EnumAtMost(Reader& in, Enum last) {
  const uint8_t value = in.U8();
  if (value > static_cast<uint8_t>(last)) throw cereal::Exception("enum value out of range");
  return static_cast<Enum>(value);
}

boost::json::object JsonObject(const std::string& text) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error);
  if (error || !value.is_object()) throw cereal::Exception("flag details are not a JSON object");
  return std::move(value.as_object());
}

void WriteRaised(Writer& out, const FlagRaised& flag) {
  out.Str(flag.flag_id);
  out.Str(flag.rule);
  out.U8(static_cast<uint8_t>(flag.severity));
  out.Str(flag.subject);
  out.Str(flag.region);
  out.Records(flag.evidence);
  out.Str(flag.summary);
  out.Str(boost::json::serialize(flag.details));
}

void ReadRaised(Reader& in, FlagRaised& flag) {
  flag.flag_id = in.Str();
  flag.rule = in.Str();
  flag.severity = EnumAtMost(in, FlagSeverity::kAlert);
  flag.subject = in.Str();
  flag.region = in.Str();
  in.Records(flag.evidence);
  flag.summary = in.Str();
  flag.details = JsonObject(in.Str());
}

}  // namespace

std::string RuleConfigDigest(const RuleConfig& config, const RuleEngineLimits& limits) {
  Writer out;
  out.Each(config.clock_types,
           [](Writer& w, EventType type) { w.U32(static_cast<uint32_t>(type)); });
  out.Each(config.rules, [](Writer& w, const auto& rule) {
    w.Str(rule.first);
    w.Bool(rule.second.enabled);
    w.Str(boost::json::serialize(rule.second.params));
  });
  out.U64(limits.max_evidence);
  out.U64(limits.max_extra_evidence);
  const crypto::Digest digest = crypto::Sha256(out.Finish());
  return std::string(digest.begin(), digest.end());
}

std::string RuleEngine::EncodeState() const {
  Writer out;
  out.Str(config_digest_);
  out.U64(position_);
  out.I64(clock_ms_);
  out.U32(projections::EntityProjection::kVersion);
  out.Str(entities_.EncodeState());
  out.U32(projections::StatisticsProjection::kVersion);
  out.Str(statistics_.EncodeState());
  out.Each(open_by_key_, [](Writer& w, const auto& entry) {
    w.Str(entry.first);
    w.Str(entry.second);
  });
  out.Each(generation_by_key_, [](Writer& w, const auto& entry) {
    w.Str(entry.first);
    w.U32(entry.second);
  });
  out.Each(flags_, [](Writer& w, const auto& entry) {
    const FlagTrack& track = entry.second;
    w.Str(entry.first);
    w.Str(track.rule);
    w.Str(track.subject);
    w.Str(track.window);
    w.U32(track.generation);
    w.Bool(track.open);
    w.Records(track.extra_evidence);
    w.U64(track.extra_evidence_total);
  });
  out.Each(newest_evidence_, [](Writer& w, const auto& entry) {
    w.Str(entry.first);
    w.U64(entry.second);
  });
  out.Each(raised_counts_, [](Writer& w, const auto& entry) {
    w.Str(entry.first.first);
    w.Str(entry.first.second);
    w.U64(entry.second);
  });
  out.U64(open_count_);
  // Each rule's state as one string behind its id: a rule reads only its
  // own bytes, and a rule set that differs is caught by the id.
  out.Each(rules_, [](Writer& w, const std::unique_ptr<Rule>& rule) {
    w.Str(rule->id());
    Writer own;
    rule->SaveState(own);
    w.Str(own.Finish());
  });
  return out.Finish();
}

Status RuleEngine::DecodeState(std::string_view bytes) {
  if (position_ != 0) {
    return Status(ErrorCode::kInvalidArgument, "rule engine state: the engine has folded");
  }
  bool other_config = false;
  Status decoded = snapshot_io::Decode("rule engine state", bytes, [&](Reader& in) -> Status {
    if (in.Str() != config_digest_) {
      other_config = true;
      return Status::Ok();
    }
    position_ = in.U64();
    clock_ms_ = in.I64();
    if (in.U32() != projections::EntityProjection::kVersion) {
      throw cereal::Exception("entity projection of another version");
    }
    FUPIN_RETURN_IF_ERROR(entities_.DecodeState(in.Str()));
    if (in.U32() != projections::StatisticsProjection::kVersion) {
      throw cereal::Exception("statistics projection of another version");
    }
    FUPIN_RETURN_IF_ERROR(statistics_.DecodeState(in.Str()));
    in.Each([&](Reader& r) {
      std::string key = r.Str();
      open_by_key_.emplace_hint(open_by_key_.end(), std::move(key), r.Str());
    });
    in.Each([&](Reader& r) {
      std::string key = r.Str();
      generation_by_key_.emplace_hint(generation_by_key_.end(), std::move(key), r.U32());
    });
    in.Each([&](Reader& r) {
      std::string flag_id = r.Str();
      FlagTrack track;
      track.rule = r.Str();
      track.subject = r.Str();
      track.window = r.Str();
      track.generation = r.U32();
      track.open = r.Bool();
      r.Records(track.extra_evidence);
      track.extra_evidence_total = r.U64();
      flags_.emplace_hint(flags_.end(), std::move(flag_id), std::move(track));
    });
    in.Each([&](Reader& r) {
      std::string flag_id = r.Str();
      newest_evidence_.emplace_hint(newest_evidence_.end(), std::move(flag_id), r.U64());
    });
    in.Each([&](Reader& r) {
      std::string rule = r.Str();
      std::string severity = r.Str();
      raised_counts_.emplace_hint(raised_counts_.end(),
                                  std::pair{std::move(rule), std::move(severity)}, r.U64());
    });
    open_count_ = in.U64();
    if (in.Size(1) != rules_.size()) throw cereal::Exception("another set of rules");
    for (const std::unique_ptr<Rule>& rule : rules_) {
      if (in.Str() != rule->id()) throw cereal::Exception("another set of rules");
      const std::string own = in.Str();
      Status status = snapshot_io::Decode(rule->id(), own, [&](Reader& r) {
        rule->LoadState(r);
        return Status::Ok();
      });
      FUPIN_RETURN_IF_ERROR(status);
    }
    return Status::Ok();
  });
  if (other_config) {  // the rest was left unread
    return Status(ErrorCode::kInvalidArgument,
                  "rule engine state: saved under another rule configuration");
  }
  return decoded;
}

std::string FlagBook::EncodeState() const {
  Writer out;
  out.Each(flags_, [](Writer& w, const auto& item) {
    const FlagEntry& entry = item.second;
    w.U64(entry.seq);
    w.I64(entry.raised_at_ms);
    WriteRaised(w, entry.raised);
    w.Bool(entry.resolution.has_value());
    if (entry.resolution) {
      const FlagResolutionEntry& resolution = *entry.resolution;
      w.U64(resolution.seq);
      w.I64(resolution.occurred_at_ms);
      w.Str(resolution.key_id);
      w.U8(static_cast<uint8_t>(resolution.resolution));
      w.Str(resolution.note);
    }
  });
  return out.Finish();
}

Status FlagBook::DecodeState(std::string_view bytes) {
  flags_.clear();
  by_id_.clear();
  open_ = 0;
  Status decoded = snapshot_io::Decode("flag book", bytes, [&](Reader& in) {
    in.Each([&](Reader& r) {
      FlagEntry entry;
      entry.seq = r.U64();
      entry.raised_at_ms = r.I64();
      ReadRaised(r, entry.raised);
      if (r.Bool()) {
        FlagResolutionEntry resolution;
        resolution.seq = r.U64();
        resolution.occurred_at_ms = r.I64();
        resolution.key_id = r.Str();
        resolution.resolution = EnumAtMost(r, FlagResolution::kDismissed);
        resolution.note = r.Str();
        entry.resolution = std::move(resolution);
      }
      if (!flags_.empty() && flags_.rbegin()->first >= entry.seq) {
        throw cereal::Exception("flags out of order");
      }
      if (!entry.resolution) ++open_;
      by_id_[entry.raised.flag_id] = entry.seq;
      const uint64_t seq = entry.seq;
      flags_.emplace_hint(flags_.end(), seq, std::move(entry));
    });
    return Status::Ok();
  });
  if (!decoded.ok()) {
    flags_.clear();
    by_id_.clear();
    open_ = 0;
  }
  return decoded;
}

}  // namespace fupin::rules
