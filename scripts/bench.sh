#!/usr/bin/env bash
# `make bench`: every benchmark in benchmarks/, each against a baseline measured in the same run.
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres); results in benchmarks/results/latest.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! .venv/bin/python -c 'import psycopg; psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()' 2>/dev/null; then
  echo "make bench needs PostgreSQL at 127.0.0.1:5432 (user postgres)." >&2; exit 2
fi
rm -f benchmarks/results/latest.json
for b in benchmarks/bench_*.py; do
  echo "# $b"
  (cd benchmarks && ../.venv/bin/python "$(basename "$b")")
done
echo "# results: benchmarks/results/latest.json"
