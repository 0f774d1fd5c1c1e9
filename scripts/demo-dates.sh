#!/usr/bin/env bash
# `make demo` on the days a legal clock trips over, as a new user would run it: a fresh var/, the
# clock set by faketime (Beijing time), generate, serve, and the login page answers. Each date is
# bounded (DEMO_DATE_TIMEOUT seconds, 600 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DATES=("2026-12-01 00:05:00" "2028-02-29 09:00:00")
limit=${DEMO_DATE_TIMEOUT:-600}

one() {  # one() DATE PORT DIR
  local when=$1 port=$2 dir=$3
  # as `make demo` runs: its own settings and SQLite under var/, nothing of the test run's environment
  env -u DATABASE_URL -u DJANGO_SETTINGS_MODULE EDUGOV_VAR_DIR="$dir" TZ=Asia/Shanghai timeout "$limit" \
    faketime "$when" $BIN/edugov demo --addr "127.0.0.1:$port" >"$dir/demo.log" 2>&1 &
  local pid=$! started=$SECONDS
  while kill -0 $pid 2>/dev/null; do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/accounts/login/" 2>/dev/null; then
      grep -q "demo district created" "$dir/demo.log" || { echo "$when: served, but nothing was generated"; kill $pid; return 1; }
      echo "$when: generated and serving after $((SECONDS - started)) s"
      kill $pid; wait $pid 2>/dev/null || true
      return 0
    fi
    sleep 2
  done
  echo "$when: make demo failed (or took over ${limit} s); the end of its log:"
  tail -n 40 "$dir/demo.log"
  return 1
}

# Side by side by default; one after the other (one core) with DEMO_DATES_SERIAL=1, as `make test`
# runs it beside pytest.
pids=() port=8710 rc=0
for when in "${DATES[@]}"; do
  dir=$(mktemp -d -t edugov-demo-date-XXXX)
  if [ "${DEMO_DATES_SERIAL:-}" = "1" ]; then one "$when" $port "$dir" || rc=1
  else one "$when" $port "$dir" & pids+=($!); fi
  port=$((port + 1))
done
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
