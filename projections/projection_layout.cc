#include "projections/projection_layout.h"

#include "ledger/store_format.h"
#include "projections/snapshot_io.h"

namespace fupin::projections {
namespace {

using snapshot_io::Reader;
using snapshot_io::Writer;

// First field of every head and blob, so a reader can tell a layout it
// does not know from corruption.
Status CheckLayout(Reader& r, std::string_view what) {
  uint32_t layout = r.U32();
  if (layout != kProjectionLayoutVersion) {
    return Status(ErrorCode::kDataLoss,
                  std::string(what) + ": unknown layout version " + std::to_string(layout));
  }
  return Status::Ok();
}

}  // namespace

std::string HeadKey(std::string_view name) { return std::string(name) + "/head"; }
std::string StateKey(std::string_view name) { return std::string(name) + "/state"; }
std::string SnapshotKey(std::string_view name, uint64_t position) {
  return std::string(name) + "/snap/" + store_format::Uint64Key(position);
}

std::string EncodeHead(const ProjectionHead& head) {
  Writer w;
  w.U32(kProjectionLayoutVersion);
  w.U32(head.projection_version);
  w.U64(head.position);
  w.Bytes(head.last_leaf_hash.data(), head.last_leaf_hash.size());
  w.List(head.snapshots, [](Writer& out, uint64_t position) { out.U64(position); });
  w.Bool(head.state_in_snapshot);
  return w.Finish();
}

Result<ProjectionHead> DecodeHead(std::string_view bytes) {
  ProjectionHead head;
  Status status = snapshot_io::Decode("projection head", bytes, [&](Reader& r) {
    FUPIN_RETURN_IF_ERROR(CheckLayout(r, "projection head"));
    head.projection_version = r.U32();
    head.position = r.U64();
    r.Bytes(head.last_leaf_hash.data(), head.last_leaf_hash.size());
    r.List(head.snapshots, [](Reader& in, uint64_t& position) { position = in.U64(); });
    head.state_in_snapshot = r.Bool();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return head;
}

std::string EncodeStateBlob(const StateBlob& blob) {
  Writer w;
  w.U32(kProjectionLayoutVersion);
  w.U32(blob.projection_version);
  w.U64(blob.position);
  w.Bytes(blob.last_leaf_hash.data(), blob.last_leaf_hash.size());
  w.U64(blob.state.size());
  std::string out = w.Finish();
  // The state follows its header verbatim: it is already encoded, and
  // passing it through the archive again would only copy it once more.
  out += blob.state;
  return out;
}

Result<StateBlob> DecodeStateBlob(std::string_view bytes) {
  StateBlob blob;
  try {
    Reader r(bytes);
    FUPIN_RETURN_IF_ERROR(CheckLayout(r, "projection state"));
    blob.projection_version = r.U32();
    blob.position = r.U64();
    r.Bytes(blob.last_leaf_hash.data(), blob.last_leaf_hash.size());
    uint64_t size = r.U64();
    if (size != r.remaining()) {
      return Status(ErrorCode::kDataLoss, "projection state: size does not match its header");
    }
    blob.state.assign(bytes.substr(bytes.size() - size));
  } catch (const cereal::Exception& e) {
    return Status(ErrorCode::kDataLoss, std::string("projection state: ") + e.what());
  }
  return blob;
}

}  // namespace fupin::projections
