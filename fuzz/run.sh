#!/usr/bin/env bash
# Runs a fuzz target for N seconds (default 60): load (the situation loader, the default),
# export (every export format) or import (the 3W and ACLED readers). Installs cargo-fuzz when
# missing.
# Usage: fuzz/run.sh [SECONDS] [TARGET]    (from anywhere; stable toolchain is enough)
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
target="${2:-load}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
# cargo-fuzz passes nightly-only flags; RUSTC_BOOTSTRAP lets the stable compiler accept them.
export RUSTC_BOOTSTRAP=1
mkdir -p "corpus/$target"
# Seed the loader's corpus with the bundled samples so mutations start from real situation
# files (the export target starts from the Guinea sample itself).
if [ "$target" = load ]; then
  cp -n ../assets/situations/*.ron corpus/load/ 2>/dev/null || true
fi
# The importers' corpus starts from the test sheets (CSV in every encoding and delimiter).
if [ "$target" = import ]; then
  cp -n ../tests/data/3w-*.csv ../tests/data/3w-*.txt ../tests/data/acled-*.csv corpus/import/ 2>/dev/null || true
fi
# Safe Rust needs no AddressSanitizer to find panics, hangs and memory blow-ups; without it the
# build is lighter and each second runs more inputs. FUZZ_SANITIZER=address to bring it back.
cargo fuzz run --sanitizer "${FUZZ_SANITIZER:-none}" "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
