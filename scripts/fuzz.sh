#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, docs/reliability.md "Fuzzing") and
# runs each for a while on its corpus.
#
# Usage: scripts/fuzz.sh [--minutes N | --seconds N] [--build-only] [TARGET...]
#   --minutes N   run each target N minutes (fractions allowed; default 1)
#   --seconds N   run each target N seconds (CI's smoke: --seconds 30)
#   --build-only  build the targets and stop
#   TARGET        target names without the fuzz_ prefix (default: all)
#
# Build tree: build/fuzz (clang 14, RelWithDebInfo at -O1, every library
# with -fsanitize=fuzzer-no-link,address,undefined). Working corpora live
# outside the tree in build/fuzz/corpus/<target>, seeded (merged) from the
# committed fuzz/corpus/<target>; crashes, leaks and timeouts land in
# build/fuzz/crashes/<target>. Ends with one summary line per target
# (executions, exec/s, cov, ft, corpus) and exits 1 when any target found
# a crash, leak or timeout, or one of its regression inputs
# (fuzz/regressions/<target>/, run first) fails.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) seconds=$(awk -v m="$2" 'BEGIN { printf "%d", m * 60 }'); shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("${1#fuzz_}"); shift ;;
  esac
done
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "fuzz: the run time must be at least one second" >&2
  exit 2
fi

bash scripts/install-deps.sh

# Every build and every run takes the machine's build lock (two cores are
# shared with other builds); one lock file for the whole repository.
lock=/tmp/fupin-build.lock
build=build/fuzz
# -O1 -g without NDEBUG: asserts stay armed and stacks stay readable.
# GCC-only warning flags of the top-level list are not errors for clang.
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
sanitize+=" -fno-sanitize-recover=undefined -Wno-unknown-warning-option"
flock "$lock" cmake -S . -B "$build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  "-DCMAKE_CXX_FLAGS=$sanitize" \
  -DFUPIN_FUZZ=ON -DFUPIN_WERROR=OFF -DFUPIN_SANITIZE=OFF -DFUPIN_WEB_TESTS=OFF >/dev/null

if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^fupin_fuzzer(\([a-z0-9_]*\).*/\1/p' fuzz/CMakeLists.txt)
fi
build_targets=()
for t in "${targets[@]}"; do
  if [ ! -f "fuzz/${t}_fuzzer.cc" ]; then
    echo "fuzz: no target $t (fuzz/${t}_fuzzer.cc)" >&2
    exit 2
  fi
  build_targets+=("fuzz_$t")
done
mkdir -p "$build/logs"
echo "fuzz: building ${build_targets[*]} (log: $build/logs/build.log)"
if ! flock "$lock" cmake --build "$build" -j2 --target "${build_targets[@]}" \
  >"$build/logs/build.log" 2>&1; then
  tail -n 40 "$build/logs/build.log" >&2
  echo "fuzz: the build failed" >&2
  exit 1
fi
if [ "$build_only" -eq 1 ]; then exit 0; fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

summary=()
failed=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  crashes="$build/crashes/$t"
  log="$build/logs/$t.log"
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  options=(-max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
           "-artifact_prefix=$crashes/")
  if [ -f "fuzz/dict/$t.dict" ]; then options+=("-dict=fuzz/dict/$t.dict"); fi
  # The committed seeds join the working corpus (minimized into it).
  if [ -d "fuzz/corpus/$t" ]; then
    flock "$lock" "$build/fuzz/fuzz_$t" -merge=1 "${options[@]}" "$corpus" "fuzz/corpus/$t" \
      >"$build/logs/$t.merge.log" 2>&1 || true
  fi
  # Every crasher found so far must pass (fuzz/regressions/<target>/).
  regressions=ok
  if compgen -G "fuzz/regressions/$t/*" >/dev/null; then
    if ! flock "$lock" "$build/fuzz/fuzz_$t" "fuzz/regressions/$t"/* \
      >"$build/logs/$t.regressions.log" 2>&1; then
      regressions=FAILED
      echo "fuzz: $t: a regression input crashes (log: $build/logs/$t.regressions.log)" >&2
      grep -m1 -E 'Running: |ERROR|FUZZ_CHECK' "$build/logs/$t.regressions.log" >&2 || true
    fi
  fi
  echo "fuzz: $t for ${seconds}s (log: $log)"
  marker="$build/logs/$t.started"
  touch "$marker"
  status=0
  flock "$lock" "$build/fuzz/fuzz_$t" "${options[@]}" -max_total_time="$seconds" "$corpus" \
    >"$log" 2>&1 || status=$?
  # libFuzzer's final stats and its last status line.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  files=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
  found=$(find "$crashes" -type f -newer "$marker" | wc -l)
  verdict=ok
  if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
    verdict="FAILED (exit $status, $found artifact(s) in $crashes)"
    failed=1
    tail -n 60 "$log" >&2
  fi
  if [ "$regressions" != ok ]; then
    verdict="$verdict; regressions FAILED"
    failed=1
  fi
  summary+=("$(printf 'fuzz summary: %-22s %5ss  execs %-10s exec/s %-7s cov %-6s ft %-7s corpus %-11s %s' \
    "$t" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${files:-?}" "$verdict")")
done
printf '%s\n' "${summary[@]}"
exit "$failed"
