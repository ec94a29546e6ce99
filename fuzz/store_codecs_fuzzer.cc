// The stored-record, entity-state and projection codecs (cereal) and the
// other byte formats the store and the wire carry: what a corrupted or
// hostile store, a restored backup or a mirror's source can put in front
// of the decoders. Their errors must be kDataLoss values, never a crash.
//
// Input: a selector byte (taken modulo the number of decoders), then the
// bytes one decoder sees:
//   0 DecodeStoredRecord and ViewStoredRecord (ledger/record.h)
//   1 DecodeEntityState (ledger/entity_state.h)
//   2 ParseCheckpoint, 3 ParseServedCheckpoint (ledger/record.h)
//   4 ParseRecordJson, RecordedAtMillis, ParseHexPath (ledger/record.h)
//   5 HexDecode, 6 Base64Decode (ledger/codec.h)
//   7 store_format's key and value parsers (ledger/store_format.h)
//   8 DecodeHead, 9 DecodeStateBlob (projections/projection_layout.h)
//   10 StatisticsProjection::DecodeState, 11 EntityProjection::DecodeState
//   12 RuleEngine::DecodeState under the default rules (rules/engine.h)
//
// Invariants: the two stored-record decoders agree; what decodes
// re-encodes to bytes that decode to the same encoding; the strict text
// codecs are bijective (encode(decode(x)) == x).
#include <string>

#include "fuzz/fuzz_input.h"
#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/entity_state.h"
#include "ledger/record.h"
#include "ledger/store_format.h"
#include "projections/entity_projection.h"
#include "projections/projection_layout.h"
#include "projections/statistics_projection.h"
#include "rules/engine.h"
#include "rules/rule_config.h"

namespace fupin {
namespace {

void StoredRecordCodec(std::string_view bytes) {
  Result<StoredRecord> decoded = DecodeStoredRecord(bytes);
  Result<StoredRecordView> viewed = ViewStoredRecord(bytes);
  FUZZ_CHECK(decoded.ok() == viewed.ok());
  if (!decoded.ok()) return;
  FUZZ_CHECK(decoded->seq == viewed->seq && decoded->leaf_data == viewed->leaf_data &&
             decoded->leaf_hash == viewed->leaf_hash);
  FUZZ_CHECK(EncodeStoredRecord(*decoded) == bytes);
}

void EntityStateCodec(std::string_view bytes) {
  Result<EntityState> decoded = DecodeEntityState(bytes);
  if (!decoded.ok()) return;
  const std::string encoded = EncodeEntityState(*decoded);
  Result<EntityState> again = DecodeEntityState(encoded);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(EncodeEntityState(*again) == encoded);
}

void CheckpointForms(std::string_view bytes, bool served) {
  Result<Checkpoint> parsed = served ? ParseServedCheckpoint(bytes) : ParseCheckpoint(bytes);
  if (!parsed.ok()) return;
  const std::string json = CheckpointJson(*parsed);
  Result<Checkpoint> again = ParseCheckpoint(json);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(CheckpointJson(*again) == json);
  (void)CheckpointSigningInput(*parsed);
}

void RecordJsonForms(std::string_view bytes) {
  (void)RecordedAtMillis(bytes, 0);
  Result<boost::json::value> value = json::ParseStrict(bytes);
  if (!value.ok()) return;
  (void)ParseHexPath(*value);
  if (!value->is_object()) return;
  Result<StoredRecord> record = ParseRecordJson(value->as_object());
  if (!record.ok()) return;
  (void)RecordJson(*record);
}

void HexCodec(std::string_view bytes) {
  Result<std::string> decoded = HexDecode(bytes);
  if (!decoded.ok()) return;
  FUZZ_CHECK(HexEncode(*decoded) == bytes);
  std::span<const uint8_t> raw(reinterpret_cast<const uint8_t*>(decoded->data()), decoded->size());
  FUZZ_CHECK(IsHexOf(bytes, raw));
}

void Base64Codec(std::string_view bytes) {
  Result<std::string> decoded = Base64Decode(bytes);
  if (!decoded.ok()) return;
  FUZZ_CHECK(Base64Encode(*decoded) == bytes);
}

void StoreFormat(std::string_view bytes) {
  if (std::optional<uint64_t> key = store_format::ParseUint64Key(bytes)) {
    FUZZ_CHECK(store_format::Uint64Key(*key) == bytes);
  }
  uint64_t seq = 0;
  merkle::Hash leaf{};
  if (store_format::ParseStreamValue(bytes, &seq, &leaf)) {
    FUZZ_CHECK(store_format::StreamValue(seq, leaf) == bytes);
  }
  crypto::Digest content{};
  if (store_format::ParseEventIdValue(bytes, &seq, &content)) {
    FUZZ_CHECK(store_format::EventIdValue(seq, content) == bytes);
  }
}

void ProjectionHead(std::string_view bytes) {
  Result<projections::ProjectionHead> head = projections::DecodeHead(bytes);
  if (!head.ok()) return;
  const std::string encoded = projections::EncodeHead(*head);
  Result<projections::ProjectionHead> again = projections::DecodeHead(encoded);
  FUZZ_CHECK(again.ok() && projections::EncodeHead(*again) == encoded);
}

void ProjectionBlob(std::string_view bytes) {
  Result<projections::StateBlob> blob = projections::DecodeStateBlob(bytes);
  if (!blob.ok()) return;
  const std::string encoded = projections::EncodeStateBlob(*blob);
  Result<projections::StateBlob> again = projections::DecodeStateBlob(encoded);
  FUZZ_CHECK(again.ok() && projections::EncodeStateBlob(*again) == encoded);
}

void ProjectionState(projections::Projection& projection, std::string_view bytes) {
  if (!projection.DecodeState(bytes).ok()) return;
  const std::string encoded = projection.EncodeState();
  std::unique_ptr<projections::Projection> again = projection.NewEmpty();
  FUZZ_CHECK(again->DecodeState(encoded).ok());
  FUZZ_CHECK(again->EncodeState() == encoded);
}

// A fresh engine per input: after a failed decode it is half restored.
void RuleEngineState(std::string_view bytes) {
  static const rules::RuleConfig config = [] {
    Result<rules::RuleConfig> defaults = rules::DefaultRuleConfig();
    FUZZ_CHECK(defaults.ok());
    return *defaults;
  }();
  Result<std::unique_ptr<rules::RuleEngine>> engine = rules::RuleEngine::Create(config);
  FUZZ_CHECK(engine.ok());
  if (!(*engine)->DecodeState(bytes).ok()) return;
  const std::string encoded = (*engine)->EncodeState();
  Result<std::unique_ptr<rules::RuleEngine>> again = rules::RuleEngine::Create(config);
  FUZZ_CHECK(again.ok() && (*again)->DecodeState(encoded).ok());
  FUZZ_CHECK((*again)->EncodeState() == encoded);
}

}  // namespace
}  // namespace fupin

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace fupin;
  const fuzz::SelectedInput in = fuzz::Select(data, size);
  switch (in.selector % 13) {
    case 0:
      StoredRecordCodec(in.bytes);
      break;
    case 1:
      EntityStateCodec(in.bytes);
      break;
    case 2:
      CheckpointForms(in.bytes, /*served=*/false);
      break;
    case 3:
      CheckpointForms(in.bytes, /*served=*/true);
      break;
    case 4:
      RecordJsonForms(in.bytes);
      break;
    case 5:
      HexCodec(in.bytes);
      break;
    case 6:
      Base64Codec(in.bytes);
      break;
    case 7:
      StoreFormat(in.bytes);
      break;
    case 8:
      ProjectionHead(in.bytes);
      break;
    case 9:
      ProjectionBlob(in.bytes);
      break;
    case 10: {
      projections::StatisticsProjection statistics;
      ProjectionState(statistics, in.bytes);
      break;
    }
    case 11: {
      projections::EntityProjection entities;
      ProjectionState(entities, in.bytes);
      break;
    }
    case 12:
      RuleEngineState(in.bytes);
      break;
  }
  return 0;
}
