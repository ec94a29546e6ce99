// A mirror as `fupin-ledger mirror` and `demo --mirror` run it: its store
// (OpenMirror), its follower on its own thread and the read API over what
// it verified (api::Server with the follower attached).
#pragma once

#include <memory>
#include <string>

#include "api/config.h"
#include "api/server.h"
#include "api/witness_server.h"
#include "ledger/ledger.h"
#include "mirror/follower.h"

namespace fupin::mirror {

// The mirror as a witness of its source (C2SP tlog-witness): it cosigns
// only checkpoints whose records it verified (Follower::Vouch). Its state
// is DIR/witness-state.json.
struct MirrorWitnessOptions {
  crypto::Ed25519PrivateKey key;
  std::string name;  // the cosigner name
  api::ListenAddress listen;
};

class ServedMirror {
 public:
  // Opens (or creates) the mirror in `data_dir`, starts its server on
  // config.listen, its witness when asked, and then its follower. Errors:
  // OpenMirror's, the follower's, the servers' start.
  static Result<std::unique_ptr<ServedMirror>> Start(
      const std::string& data_dir, FollowerOptions options, api::ServerConfig config,
      const std::function<void(const GenesisInfo&)>& created = {},
      std::optional<MirrorWitnessOptions> witness = std::nullopt);
  // Stops the follower, then the server, then closes the store.
  ~ServedMirror();

  Ledger& ledger() { return *ledger_; }
  Follower& follower() { return *follower_; }
  const api::Server& server() const { return *server_; }
  // Null unless started as a witness.
  const api::ServedWitness* witness() const { return witness_.server ? &witness_ : nullptr; }

 private:
  ServedMirror() = default;
  // Destroyed in reverse: the follower (which wakes the server) first.
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<api::Server> server_;
  std::unique_ptr<Follower> follower_;
  api::ServedWitness witness_;  // asks the follower: stopped first
};

}  // namespace fupin::mirror
