#!/usr/bin/env bash
# Tandem clients converge through the reference sync server from the npm registry
# (@automerge/automerge-repo-sync-server): `tandem share` publishes a situation through it and
# `tandem fetch`, a second client, reads it back; then two officers in one process (the ignored
# test below, in tests/live_share.rs) share, join, edit at once and converge through it. The
# reference server checks no token: the clients send one anyway, as they would to `tandem serve`.
# Usage: tests/interop/run.sh [PATH-TO-TANDEM]   (needs node and npm; .ci/run installs them)
# The test runs with `cargo test` as CI's `cargo test --all-targets` built it: no rebuild.
set -euo pipefail
cd "$(dirname "$0")/../.."
tandem="${1:-${CARGO_TARGET_DIR:-target}/debug/tandem}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

npm install --prefix "$work/npm" --no-audit --no-fund --silent \
  @automerge/automerge-repo-sync-server@0.2.8 >/dev/null
port=$((20000 + RANDOM % 20000))
PORT="$port" DATA_DIR="$work/data" node "$work/npm/node_modules/@automerge/automerge-repo-sync-server/src/index.js" \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "Listening" "$work/server.log" 2>/dev/null && break
  sleep 0.1
done

echo "interop-token" > "$work/token"
link="$("$tandem" share assets/situations/guinea-2009-2010.ron --server "ws://127.0.0.1:$port/" \
  --token-file "$work/token" --ceiling strictly-confidential | tail -n 1)"
"$tandem" fetch "$link" --token-file "$work/token" --out "$work/fetched.ron"
"$tandem" check "$work/fetched.ron" >/dev/null
# The fetched copy holds the same situation: same summary as the original.
diff <("$tandem" summary --json assets/situations/guinea-2009-2010.ron) \
     <("$tandem" summary --json "$work/fetched.ron")
echo "interop: share and fetch passed"

# Two officers editing at once. A filter that matched no test would pass: "1 passed" is checked.
test_name=interop_two_clients_editing_at_once_converge_through_the_reference_server
if ! out="$(TANDEM_INTEROP_SERVER="ws://127.0.0.1:$port/" cargo test --quiet --test live_share \
  -- --ignored --exact --nocapture "$test_name" 2>&1)"; then
  echo "$out"
  echo "interop: $test_name failed"
  exit 1
fi
if ! grep -q "1 passed" <<<"$out"; then
  echo "$out"
  echo "interop: $test_name did not run"
  exit 1
fi
grep "interop: converged" <<<"$out" || true
echo "interop: 2 passed, 0 failed"
