#!/usr/bin/env bash
# The test run behind `make test` and CI. PostgreSQL and the browser tests are used when this
# machine has them (CI=true requires both); otherwise it says what it skipped and why.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test
lint_only=false
[ "${1:-}" = "--lint-only" ] && lint_only=true
step() { printf '\n== %s\n' "$*"; }

if [ -z "${DATABASE_URL:-}" ]; then
  if $BIN/python -c 'import psycopg; psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()' 2>/dev/null; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/edugov"
  elif [ "${CI:-}" = "true" ]; then
    echo "CI needs PostgreSQL at 127.0.0.1:5432 (user postgres); it is not reachable." >&2; exit 1
  else
    echo "NOTE: PostgreSQL is not reachable at 127.0.0.1:5432: running on SQLite; the PostgreSQL-only tests (row locks between connections) will be skipped."
  fi
fi
if [ -x /usr/bin/chromium ]; then
  export EDUGOV_BROWSER=/usr/bin/chromium
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs Chromium at /usr/bin/chromium (apt-get install chromium)." >&2; exit 1
else
  echo "NOTE: no /usr/bin/chromium: the browser tests will be skipped (apt-get install chromium fonts-noto-cjk)."
fi
[ "${CI:-}" = "true" ] && export EDUGOV_REQUIRE_BROWSER=1

step "translations: every source string has its zh-hans text"
if command -v xgettext >/dev/null; then
  (cd edugov && ../$BIN/django-admin makemessages -l zh_Hans --no-location --pythonpath=.. \
     -i "tests/*" -i "*/tests/*" -i "demo/*" >/dev/null 2>&1)
fi
$BIN/edugov buildmessages --check

step "ruff"
$BIN/ruff check edugov config tests benchmarks conftest.py
step "mypy (strict on kernel, audit, cases, draws, metrics, every app's actions, selectors, permissions, converted views)"
strict_dirs=(edugov/kernel edugov/audit edugov/cases edugov/draws edugov/metrics)
app_layers=$(ls -d edugov/*/actions.py edugov/*/actions edugov/*/selectors.py edugov/*/permissions.py 2>/dev/null | grep -Ev '^edugov/(kernel|audit|cases|draws|metrics)/')
app_layers="$app_layers edugov/schools/views.py edugov/reports/views.py edugov/oversight/views.py edugov/oversight/forms.py edugov/services/views.py edugov/services/forms.py edugov/enforcement/views.py edugov/enforcement/forms.py edugov/enrollment/views.py edugov/enrollment/forms.py edugov/accounts/http.py edugov/accounts/decorators.py"
# shellcheck disable=SC2086  # one path per word
$BIN/mypy "${strict_dirs[@]}" $app_layers --no-error-summary
step "import-linter: the layer contract"
$BIN/lint-imports --no-cache
step "migrations are up to date"
$BIN/edugov makemigrations --check --dry-run >/dev/null
step "production settings: check --deploy"
SECRET_KEY="ci-$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
EDUGOV_DATA_KEYS="ci:$($BIN/python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
EDUGOV_INDEX_KEY="$($BIN/python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
EDUGOV_SMS_BACKEND=edugov.kernel.sms.GatewayBackend EDUGOV_SMS_ACCESS_KEY_ID=ci EDUGOV_SMS_ACCESS_KEY_SECRET=ci \
EDUGOV_SMS_SIGN_NAME=ci EDUGOV_SMS_TEMPLATE_CODE=SMS_0 \
EDUGOV_SIGNING_KEY_FILE=/etc/edugov-ci/tree-signing.pem EDUGOV_AUDIT_PINNED_KEYS="$(printf '0%.0s' $(seq 64))" \
EDUGOV_AUDIT_ORIGIN=ci.edugov.example/ledger \
EDUGOV_AUDIT_WITNESSES="[{\"label\": \"city\", \"url\": \"https://city.example/witness\", \"vkey\": \"$($BIN/python -c 'from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as K; from edugov.audit.note import vkey, COSIGNATURE_V1; print(vkey("city.example/witness", COSIGNATURE_V1, K.generate().public_key()))')\"}]" \
DJANGO_SETTINGS_MODULE=config.settings.production DATABASE_URL=sqlite:///:memory: \
  $BIN/edugov check --deploy --fail-level WARNING

$lint_only && exit 0
step "axe-core for the accessibility checks (npm)"
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    npm install --no-save --no-audit --no-fund --silent axe-core@4.10 >/dev/null 2>&1 || true
  fi
fi
if [ -f node_modules/axe-core/axe.min.js ]; then echo "axe-core $(node -p 'require("./node_modules/axe-core/package.json").version' 2>/dev/null)"
elif [ "${CI:-}" = "true" ]; then echo "CI needs axe-core (npm install axe-core); npm is missing or offline." >&2; exit 1
else echo "NOTE: no axe-core: the accessibility checks will be skipped (npm install axe-core)."; fi

# `make demo` under faketime on two dates runs in the background while pytest runs (it is a
# separate process on its own fresh var/, bounded by its own timeout); its verdict is read after.
mkdir -p test-artifacts
dates_log=test-artifacts/demo-dates.log dates_pid=""
if [ "${EDUGOV_SKIP_DEMO_DATES:-}" = "1" ]; then echo "NOTE: EDUGOV_SKIP_DEMO_DATES=1: make demo is not tried on those dates."
elif command -v faketime >/dev/null; then
  DEMO_DATES_SERIAL=1 bash scripts/demo-dates.sh >"$dates_log" 2>&1 & dates_pid=$!
elif [ "${CI:-}" = "true" ]; then echo "CI needs faketime (apt-get install faketime)." >&2; exit 1
else echo "NOTE: no faketime: make demo is not tried on 2026-12-01 and 2028-02-29 (apt-get install faketime)."; fi

# The city cluster on loopback (scripts/cluster.py: nginx, two web nodes, PostgreSQL primary and
# streaming replica behind PgBouncer, Redis, Celery, an S3 stand-in) and its faults, also beside
# pytest, after the demo dates (one background core at a time). Needs root and the Debian packages.
cluster_log=test-artifacts/cluster.log cluster_pid=""
if [ "${EDUGOV_SKIP_CLUSTER:-}" = "1" ]; then echo "NOTE: EDUGOV_SKIP_CLUSTER=1: the cluster step is not run."
elif [ "$(id -u)" = "0" ] && command -v nginx >/dev/null && command -v pgbouncer >/dev/null \
     && $BIN/python -c 'import moto, storages' 2>/dev/null; then
  ( while [ -n "$dates_pid" ] && kill -0 "$dates_pid" 2>/dev/null; do sleep 2; done
    exec timeout "${CLUSTER_TIMEOUT:-900}" $BIN/python scripts/cluster.py ) >"$cluster_log" 2>&1 & cluster_pid=$!
elif [ "${CI:-}" = "true" ]; then echo "CI needs root, nginx, pgbouncer and moto for the cluster step (apt-get install nginx pgbouncer)." >&2; exit 1
else echo "NOTE: the cluster step needs root, nginx and pgbouncer (apt-get install nginx pgbouncer): not run."; fi

step "pytest (${DATABASE_URL:-sqlite})"
set +e
$BIN/pytest -p no:cacheprovider --create-db --durations=25 "$@"  # the slowest, so a slower CI shows where
rc=$?
set -e
[ $rc -eq 5 ] && { echo "pytest collected no tests" >&2; rc=1; }

if [ -n "$dates_pid" ]; then
  step "make demo on 2026-12-01 00:05 and 2028-02-29 09:00 (faketime, ran beside pytest)"
  if wait "$dates_pid"; then cat "$dates_log"; else cat "$dates_log"; rc=1; fi
fi
if [ -n "$cluster_pid" ]; then
  step "the city cluster and its faults (scripts/cluster.py, ran beside pytest)"
  if wait "$cluster_pid"; then grep -E '^\[|^CLUSTER' "$cluster_log"; else cat "$cluster_log"; rc=1; fi
fi
exit $rc
