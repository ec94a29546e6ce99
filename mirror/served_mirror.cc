#include "mirror/served_mirror.h"

#include <filesystem>

namespace fupin::mirror {

Result<std::unique_ptr<ServedMirror>> ServedMirror::Start(
    const std::string& data_dir, FollowerOptions options, api::ServerConfig config,
    const std::function<void(const GenesisInfo&)>& created,
    std::optional<MirrorWitnessOptions> witness) {
  std::unique_ptr<ServedMirror> served(new ServedMirror());
  FUPIN_ASSIGN_OR_RETURN(served->ledger_, OpenMirror(data_dir, options.source, created));
  served->server_ = std::make_unique<api::Server>(*served->ledger_, std::move(config));
  api::Server* server = served->server_.get();
  options.stored = [server] { server->RecordsArrived(); };
  FUPIN_ASSIGN_OR_RETURN(served->follower_, Follower::Create(*served->ledger_, std::move(options)));
  server->AttachMirror(served->follower_.get());
  FUPIN_RETURN_IF_ERROR(server->Start());
  if (witness) {
    witness::WitnessOptions options;
    options.name = witness->name;
    options.logs = {served->ledger_->note_key()};
    if (served->ledger_->info().hash == merkle::HashAlg::kSm3) {
      options.sm3_logs.insert(served->ledger_->info().origin);
    }
    options.state_path = (std::filesystem::path(data_dir) / "witness-state.json").string();
    Follower* follower = served->follower_.get();
    options.vouch = [follower](const tlog::TreeHead& head, std::string_view note) {
      return follower->Vouch(head, note);
    };
    FUPIN_ASSIGN_OR_RETURN(
        served->witness_,
        api::ServeWitness(std::move(witness->key), std::move(options), witness->listen));
  }
  served->follower_->Start();
  return served;
}

ServedMirror::~ServedMirror() {
  witness_.server.reset();
  if (follower_) follower_->Stop();
  if (server_) server_->Stop();
}

}  // namespace fupin::mirror
