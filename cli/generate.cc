// `generate`: a realistic, labeled Hunan campaign as signed events
// (generator/campaign_generator.h, docs/generator.md).
#include <unistd.h>

#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include "cli/command.h"
#include "generator/campaign_generator.h"

namespace fupin::cli {
namespace {

// Progress on stderr, only when it is a terminal; one line, rewritten.
class ProgressLine {
 public:
  ProgressLine() : enabled_(::isatty(STDERR_FILENO) == 1) {}
  void Show(std::string_view phase, uint64_t events) {
    if (!enabled_) return;
    std::fprintf(stderr, "\rgenerate: %-12.*s %12llu events", static_cast<int>(phase.size()),
                 phase.data(), static_cast<unsigned long long>(events));
    std::fflush(stderr);
  }
  void Done() {
    if (enabled_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
};

}  // namespace

void AddGenerateCommand(CLI::App& app, CommandContext& context) {
  struct Options {
    uint64_t seed = 0;
    std::string scale;
    std::string out;
    int threads = 2;
    std::string key_alg = "ed25519";
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Generate a realistic Hunan 消费扶贫 campaign: signed events, keys (TEST ONLY), "
      "labels of the injected frauds and the expected statistics table");
  cmd->add_option("--seed", options->seed, "Seed; the same seed and scale give the same bytes")
      ->required();
  cmd->add_option("--scale", options->scale,
                  "small (~15k events), medium (~250k), large (~10M) or an event count")
      ->required();
  cmd->add_option("--out", options->out, "Output directory (created; must be empty if it exists)")
      ->required();
  cmd->add_option("--threads", options->threads, "Signing threads (output is the same for any)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--key-alg", options->key_alg,
                  "ed25519, sm2 (every key SM2) or mixed (every other key SM2, the admin key "
                  "Ed25519)")
      ->check(CLI::IsMember({"ed25519", "sm2", "mixed"}))
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "Machine-readable output");
  cmd->callback([options, &context] {
    Result<generator::Scale> scale = generator::ParseScale(options->scale);
    if (!scale.ok()) {
      context.exit_code = ReportFailure("generate", scale.status(), options->json);
      return;
    }
    ProgressLine line;
    generator::GenerateOptions generate;
    generate.seed = options->seed;
    generate.scale = *scale;
    generate.out_dir = options->out;
    generate.threads = options->threads;
    // --key-alg is checked against the names above, so it parses.
    generate.key_alg =
        generator::ParseKeyAlgMix(options->key_alg).value_or(generator::KeyAlgMix::kEd25519);
    generate.progress = [&line](std::string_view phase, uint64_t events) {
      line.Show(phase, events);
    };
    Result<generator::GenerateSummary> summary = generator::GenerateCampaign(generate);
    line.Done();
    if (!summary.ok()) {
      context.exit_code = ReportFailure("generate", summary.status(), options->json);
      return;
    }
    if (options->json) {
      PrintJson({{"out", options->out},
                 {"seed", std::to_string(options->seed)},
                 {"scale", scale->name},
                 {"events", summary->events},
                 {"as_of", summary->as_of},
                 {"labels", summary->labels},
                 {"keys", summary->keys},
                 {"admin_key_id", "admin"},
                 {"admin_public_key", summary->admin_public_key}});
      return;
    }
    std::printf(
        "wrote %s: %llu events (as_of %lld after init), %zu labels, %zu keys\n"
        "next: fupin-ledger init --data DATA --admin-public-key %s\n",
        options->out.c_str(), static_cast<unsigned long long>(summary->events),
        static_cast<long long>(summary->as_of), summary->labels, summary->keys,
        summary->admin_public_key.c_str());
  });
}

}  // namespace fupin::cli
