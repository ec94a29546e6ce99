#include "verify/chunk.h"

#include <algorithm>
#include <bit>
#include <boost/json/monotonic_resource.hpp>
#include <cassert>
#include <cstring>
#include <memory>

#include "ledger/canonical_json.h"
#include "ledger/codec.h"
#include "ledger/store_format.h"
#include "ledger/time.h"

namespace fupin::verify {
namespace {

namespace sf = store_format;

// A first guess at what a parsed record takes in a chunk's monotonic
// resource (a sale is about 2 KiB); the resource grows beyond it.
inline constexpr std::size_t kParsedBytesPerRecord = 2048;

// One context per thread and hash, restarted after each digest: creating
// one per hash (as the one-shot helpers do) cost a third of a leaf hash.
crypto::Hasher& ThreadHasher(merkle::HashAlg alg) {
  thread_local crypto::Hasher sha256(merkle::HashAlg::kSha256);
  thread_local crypto::Hasher sm3(merkle::HashAlg::kSm3);
  return alg == merkle::HashAlg::kSm3 ? sm3 : sha256;
}

// merkle::LeafHash and merkle::NodeHash (RFC 9162 §2.1.1) on the thread's
// context.
merkle::Hash LeafHashOf(merkle::HashAlg alg, std::string_view leaf_data) {
  static constexpr char kLeafPrefix[] = {'\x00'};
  crypto::Hasher& hasher = ThreadHasher(alg);
  hasher.Update(std::string_view(kLeafPrefix, 1));
  hasher.Update(leaf_data);
  return hasher.Final();
}

std::string_view Bytes(const merkle::Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

merkle::Hash NodeHashOf(merkle::HashAlg alg, const merkle::Hash& left, const merkle::Hash& right) {
  static constexpr char kNodePrefix[] = {'\x01'};
  crypto::Hasher& hasher = ThreadHasher(alg);
  hasher.Update(std::string_view(kNodePrefix, 1));
  hasher.Update(Bytes(left));
  hasher.Update(Bytes(right));
  return hasher.Final();
}

// The seq whose append completes node (level, index): its last leaf. A
// node that differs is reported there, where the leaf that changed it was
// appended.
uint64_t CompletingSeq(const merkle::NodeId& id) { return ((id.index + 1) << id.level) - 1; }

// True when `key` is sf::MerkleKey(id) (level byte, big-endian index),
// without building it: this runs for every stored node.
bool IsMerkleKeyOf(std::string_view key, const merkle::NodeId& id) {
  if (key.size() != 9 || static_cast<uint8_t>(key[0]) != id.level) return false;
  uint64_t index = 0;
  for (std::size_t i = 1; i < 9; ++i) index = (index << 8) | static_cast<uint8_t>(key[i]);
  return index == id.index;
}

std::string NodeName(const merkle::NodeId& id) {
  return "Merkle node (" + std::to_string(id.level) + ", " + std::to_string(id.index) + ")";
}

// The leaf data of SPEC §2.2, strictly parsed, its event parsed into the
// envelope, and the bytes proven to be exactly what the ledger writes.
Status ParseLeaf(std::string_view leaf, const boost::json::storage_ptr& storage, Entry& e) {
  Result<boost::json::object> parsed = json::ParseStrictObject(leaf, {}, storage);
  if (!parsed.ok()) return Status(ErrorCode::kDataLoss, "leaf data: " + parsed.status().ToString());
  boost::json::object& object = *parsed;
  boost::json::value* event = object.if_contains("event");
  const boost::json::value* seq = object.if_contains("seq");
  const boost::json::value* recorded_at = object.if_contains("recorded_at");
  const boost::json::value* stream = object.if_contains("stream");
  const boost::json::value* version = object.if_contains("stream_version");
  const boost::json::value* prev = object.if_contains("prev_stream_hash");
  if (object.size() != 6 || event == nullptr || !event->is_object() || seq == nullptr ||
      !seq->is_int64() || seq->get_int64() < 0 || recorded_at == nullptr ||
      !recorded_at->is_string() || stream == nullptr || !stream->is_string() ||
      version == nullptr || !version->is_int64() || version->get_int64() < 1 || prev == nullptr ||
      !prev->is_string()) {
    return Status(ErrorCode::kDataLoss, "leaf data: record members missing or of the wrong type");
  }
  e.header.seq = static_cast<uint64_t>(seq->get_int64());
  e.header.recorded_at = std::string(recorded_at->get_string());
  e.header.stream = std::string(stream->get_string());
  e.header.stream_version = static_cast<uint64_t>(version->get_int64());
  e.header.prev_stream_hash = std::string(prev->get_string());
  // The event object is taken over, not copied: nothing else reads it.
  Result<Envelope> envelope = ParseEnvelope(std::move(event->get_object()));
  if (!envelope.ok()) return Status(ErrorCode::kDataLoss, "event: " + envelope.status().ToString());
  // Move-constructed in place, not assigned: an assignment would copy the
  // body out of the chunk's storage into the default one.
  std::destroy_at(&e.envelope);
  std::construct_at(&e.envelope, std::move(envelope).value());
  Result<int64_t> recorded_ms = ParseRfc3339Millis(e.header.recorded_at);
  if (!recorded_ms.ok()) return Status(ErrorCode::kDataLoss, "recorded_at is not RFC 3339");
  e.recorded_ms = *recorded_ms;
  // The bytes must be exactly what the ledger writes (docs/format.md §3).
  if (BuildLeafData(e.header, e.envelope.canonical) != leaf) {
    return Status(ErrorCode::kDataLoss, "leaf data is not the canonical record");
  }
  return Status::Ok();
}

std::string NextKeyName(const StoreCursor& cursor) {
  std::optional<uint64_t> seq = sf::ParseUint64Key(cursor.key());
  return seq ? std::to_string(*seq) : std::string("malformed");
}

// Compares the chunk's rebuilt nodes, by level and in index order, with
// the stored ones, one cursor walking each level's run of keys.
void CompareNodes(const StoreDb& store, const std::vector<std::vector<merkle::NodeWrite>>& levels,
                  ChunkResult& out) {
  std::unique_ptr<StoreCursor> cursor = store.NewScanCursor(Cf::kMerkle);
  for (const std::vector<merkle::NodeWrite>& level : levels) {
    if (level.empty()) continue;
    cursor->Seek(sf::MerkleKey(level.front().id));
    for (const merkle::NodeWrite& node : level) {
      ++out.merkle_nodes;
      if (!cursor->Valid() || !IsMerkleKeyOf(cursor->key(), node.id)) {
        const std::string key = sf::MerkleKey(node.id);
        out.findings.push_back(
            {FailureKind::kMerkleNode, CompletingSeq(node.id), NodeName(node.id) + " is missing"});
        // Realign on the next node, wherever the stored run went.
        cursor->Seek(key);
        if (cursor->Valid() && cursor->key() == key) cursor->Next();
        continue;
      }
      const std::string_view value = cursor->value();
      if (value.size() != node.hash.size() ||
          std::memcmp(value.data(), node.hash.data(), node.hash.size()) != 0) {
        out.findings.push_back({FailureKind::kMerkleNode, CompletingSeq(node.id),
                                NodeName(node.id) + " differs from the rebuilt node"});
      }
      cursor->Next();
    }
  }
  if (out.status.ok()) out.status = cursor->status();
}

}  // namespace

void LogEdge::Append(const merkle::NodeWrite& node, std::vector<merkle::NodeWrite>* completed) {
  assert((node.id.index << node.id.level) == size_);
  assert(nodes_.empty() || nodes_.back().id.level >= node.id.level);
  size_ += uint64_t{1} << node.id.level;
  merkle::NodeWrite joined = node;
  // Equal-level neighbours on the edge are siblings: merge them like a
  // binary carry.
  while (!nodes_.empty() && nodes_.back().id.level == joined.id.level) {
    joined = merkle::NodeWrite{
        merkle::NodeId{static_cast<uint8_t>(joined.id.level + 1), joined.id.index >> 1},
        NodeHashOf(hash_, nodes_.back().hash, joined.hash)};
    nodes_.pop_back();
    completed->push_back(joined);
  }
  nodes_.push_back(joined);
}

merkle::Hash LogEdge::Root() const {
  if (nodes_.empty()) return merkle::EmptyRoot(hash_);
  // MTH splits off the largest complete subtree first, so the root folds
  // the edge from the smallest subtree leftwards.
  merkle::Hash root = nodes_.back().hash;
  for (auto it = nodes_.rbegin() + 1; it != nodes_.rend(); ++it) {
    root = NodeHashOf(hash_, it->hash, root);
  }
  return root;
}

uint64_t IndexEntryDigest(crypto::SipHasher& hasher, std::string_view key, std::string_view value) {
  // The key's length first: (key, value) pairs never share a byte string.
  hasher.Update(sf::Uint64Key(key.size()));
  hasher.Update(key);
  hasher.Update(value);
  return hasher.Final();
}

void ReadChunk(const StoreDb& store, const ChunkPlan& plan,
               std::span<const uint64_t> checkpoint_sizes, ChunkResult* out) {
  ChunkResult& r = *out;
  r.begin = plan.begin;
  std::unique_ptr<StoreCursor> cursor = store.NewScanCursor(Cf::kRecords);
  cursor->Seek(sf::Uint64Key(plan.begin));
  std::optional<crypto::SipHasher> index_hasher;
  if (plan.parse) {
    index_hasher.emplace(plan.index_key);
    r.entries.reserve(plan.end - plan.begin);
    r.arena = std::make_unique<boost::json::monotonic_resource>((plan.end - plan.begin) *
                                                                kParsedBytesPerRecord);
  }
  const boost::json::storage_ptr storage =
      r.arena ? boost::json::storage_ptr(r.arena.get()) : boost::json::storage_ptr();

  LogEdge edge(plan.hash, plan.begin);
  // Rebuilt nodes by level: the chunk's 2^k leaves complete 2^(k-l) nodes
  // at level l.
  std::vector<std::vector<merkle::NodeWrite>> levels(std::bit_width(plan.end - plan.begin));
  for (std::size_t level = 0; level < levels.size(); ++level) {
    levels[level].reserve((plan.end - plan.begin) >> level);
  }
  std::vector<merkle::NodeWrite> completed;
  auto next_checkpoint =
      std::upper_bound(checkpoint_sizes.begin(), checkpoint_sizes.end(), plan.begin);
  for (uint64_t seq = plan.begin; seq < plan.end; ++seq) {
    if (!cursor->Valid()) {
      r.stopped = true;
      break;
    }
    std::optional<uint64_t> key = sf::ParseUint64Key(cursor->key());
    if (!key || *key != seq) {
      r.findings.push_back(
          {FailureKind::kRecordMissing, seq,
           "no record at seq " + std::to_string(seq) + " (next key " + NextKeyName(*cursor) + ")"});
      r.stopped = true;
      break;
    }
    ++r.count;
    merkle::Hash computed{};
    Result<StoredRecordView> record = ViewStoredRecord(cursor->value());
    Entry* e = plan.parse ? &r.entries.emplace_back() : nullptr;
    if (!record.ok()) {
      r.findings.push_back({FailureKind::kRecordUndecodable, seq, record.status().message()});
    } else {
      if (record->seq != seq) {
        r.findings.push_back({FailureKind::kRecordSeqMismatch, seq,
                              "record stored at seq " + std::to_string(seq) + " claims seq " +
                                  std::to_string(record->seq)});
      }
      computed = LeafHashOf(plan.hash, record->leaf_data);
      if (record->leaf_hash != computed) {
        r.findings.push_back(
            {FailureKind::kLeafHash, seq,
             "stored leaf hash " + HexEncode(record->leaf_hash) +
                 " != " + std::string(plan.hash == merkle::HashAlg::kSm3 ? "SM3" : "SHA-256") +
                 " of the leaf data " + HexEncode(computed)});
      }
    }
    if (e != nullptr) {
      e->seq = seq;
      e->computed = computed;
      if (record.ok()) {
        Status parsed = ParseLeaf(record->leaf_data, storage, *e);
        if (!parsed.ok()) {
          r.findings.push_back({FailureKind::kLeafData, seq, parsed.message()});
        } else {
          e->parsed = true;
          if (e->header.seq != seq) {
            r.findings.push_back({FailureKind::kLeafData, seq,
                                  "leaf data names seq " + std::to_string(e->header.seq)});
          }
          // What the ledger wrote beside the record in the stream and
          // event-id indexes.
          e->stream_digest = IndexEntryDigest(
              *index_hasher, sf::StreamKey(e->header.stream, e->header.stream_version),
              sf::StreamValue(seq, computed));
          // The event-id index keeps a SHA-256 content digest whatever
          // the log's hash (an internal digest, not a commitment).
          crypto::Hasher& hasher = ThreadHasher(merkle::HashAlg::kSha256);
          hasher.Update(e->envelope.canonical);
          e->event_id_digest = IndexEntryDigest(*index_hasher, e->envelope.id,
                                                sf::EventIdValue(seq, hasher.Final()));
        }
      }
    }

    // The leaf is a stored node too (level 0), then whatever it completes.
    const merkle::NodeWrite leaf{merkle::NodeId{0, seq}, computed};
    completed.clear();
    completed.push_back(leaf);
    edge.Append(leaf, &completed);
    for (const merkle::NodeWrite& node : completed) {
      if (levels.size() <= node.id.level) levels.resize(node.id.level + 1);
      levels[node.id.level].push_back(node);
    }
    while (next_checkpoint != checkpoint_sizes.end() && *next_checkpoint == seq + 1) {
      r.checkpoint_edges.push_back({seq + 1, edge.nodes()});
      ++next_checkpoint;
    }
    cursor->Next();
  }
  if (!r.stopped) {
    // What follows must be the next chunk's first record, or nothing after
    // the log's last: a stray key in between is a gap exactly as a single
    // sequential read finds it.
    if (!cursor->Valid()) {
      r.stopped = plan.end < plan.log_end;
    } else {
      std::optional<uint64_t> key = sf::ParseUint64Key(cursor->key());
      if (plan.end == plan.log_end || !key || *key != plan.end) {
        r.findings.push_back({FailureKind::kRecordMissing, plan.end,
                              "no record at seq " + std::to_string(plan.end) + " (next key " +
                                  NextKeyName(*cursor) + ")"});
        r.stopped = true;
      }
    }
  }
  r.status = cursor->status();
  r.edge = edge.nodes();
  CompareNodes(store, levels, r);
}

}  // namespace fupin::verify
