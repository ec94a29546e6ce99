// What every replay command starts from: a ledger opened read-only, an
// as-of point resolved to a seq, an entity named on the command line, and
// the fields of a record's leaf data.
//
// Read-only: RocksDB's read-only mode takes no lock, so replay works beside
// a running server and sees the log as it was when it opened (the commands
// say so in their output: "tree_size").
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/as_of.h"
#include "ledger/ledger.h"
#include "ledger/status.h"

namespace fupin::replay {

// Opens `data_dir` read-only. Errors: Ledger::Open's (kNotFound when there
// is no ledger).
Result<std::unique_ptr<Ledger>> OpenReadOnly(const std::string& data_dir);

// `--as-of SEQ|TIME` of the replay commands (ledger/as_of.h).
inline Result<uint64_t> ResolveAsOf(const Ledger& ledger, std::string_view text) {
  return fupin::ResolveAsOf(ledger, text, "--as-of");
}

// The entity kinds the reference index knows ("product", ..., "buyer").
const std::vector<std::string_view>& EntityKinds();

// "product/P-1" or "product:P-1" -> "product:P-1". The id may hold '/'
// (buyer refs "ORG/person"). kInvalidArgument for an unknown kind or an
// empty id.
Result<std::string> ParseEntity(std::string_view text);

// The fields of a record's leaf data (SPEC §2.2), parsed strictly.
struct LeafFields {
  uint64_t seq = 0;
  std::string recorded_at;
  std::string stream;
  uint64_t stream_version = 0;
  std::string prev_stream_hash;
  boost::json::object event;  // the signed event, sig included
  std::string type;
  std::string key_id;
  std::string occurred_at;
};
// kDataLoss when the bytes are not a record's leaf data.
Result<LeafFields> ParseLeaf(std::string_view leaf_data);

// Every seq of records naming `entity`, in [from, to] (inclusive), read
// from the reference index in pages.
Result<std::vector<uint64_t>> EntitySeqs(const Ledger& ledger, std::string_view entity,
                                         uint64_t from, uint64_t to);

}  // namespace fupin::replay
