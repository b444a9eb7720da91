#!/usr/bin/env bash
# tests/e2e/run.sh — the dashboard's end-to-end test in a real (headless) Chromium.
#
#   LVHCMON_URL=http://127.0.0.1:8080 LVHCMON_TOKEN=<controller token> \
#   LVHCMON_SCREENSHOT=/tmp/dashboard.png tests/e2e/run.sh
#       runs against a running lvhcmond (it acknowledges one firing alert there) and
#       saves /tmp/dashboard-nl.png and /tmp/dashboard-en.png.
#   tests/e2e/run.sh --mock
#       starts tests/e2e/mock_server.py on a free port and runs against it.
#   LVHCMON_URL=... LVHCMON_TOKEN=<controller token> LVHCMON_PROVIDER_TOKEN=<provider token> \
#   LVHCMON_ZORGKANTOOR=<its zorgkantoor> LVHCMON_PROVIDER_SCREENSHOT=/tmp/provider.png \
#   tests/e2e/run.sh --provider
#       the provider's own page instead (provider.spec.mjs): it uploads AW319 files built by
#       make_aw319.py for the provider token's AGB. --provider --mock: against the mock.
#
# It installs what it needs on first use: Debian's chromium (apt-get) when
# /usr/bin/chromium is missing, and playwright-core and axe-core (npm ci, from
# the lock file) when node_modules lacks them. Exit status: 0 all checks passed, 1 a check
# failed, 2 bad usage, 77 skipped (no Node.js 20+ with npm: the test cannot run here).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

mock=0
spec=dashboard
for arg in "$@"; do
  case "$arg" in
    --mock) mock=1 ;;
    --provider) spec=provider ;;
    *) echo "usage: $0 [--mock] [--provider]" >&2; exit 2 ;;
  esac
done

if [ ! -x "$CHROMIUM" ]; then
  echo "# $CHROMIUM is missing: installing Debian's chromium" >&2
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# playwright-core needs Node.js 20 or later. Debian 12's own nodejs is 18: where nothing
# newer is installed, the test cannot run, and says so with exit status 77 (skipped).
if ! command -v npm >/dev/null; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null 2>&1 || true
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] || ! command -v npm >/dev/null; then
  echo "run.sh: SKIPPED: Node.js 20 or later with npm is required (found ${node_major})" >&2
  exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --prefer-offline)
fi

export LVHCMON_SCREENSHOT=${LVHCMON_SCREENSHOT:-$here/dashboard.png}

tmp=$(mktemp -d)
mock_pid=
cleanup() {
  if [ -n "$mock_pid" ]; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$mock" -eq 1 ]; then
  python3 "$here/mock_server.py" --port 0 --port-file "$tmp/port" --quiet \
    --controller-token e2e-controller-token --provider-token e2e-provider-token \
    --provider-agb 41000001 >"$tmp/mock.log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  if [ ! -s "$tmp/port" ]; then
    echo "run.sh: the mock server did not start" >&2
    cat "$tmp/mock.log" >&2
    exit 1
  fi
  export LVHCMON_URL="http://127.0.0.1:$(cat "$tmp/port")"
  export LVHCMON_TOKEN=e2e-controller-token
  export LVHCMON_PROVIDER_TOKEN=e2e-provider-token LVHCMON_ZORGKANTOOR=5501
  echo "# against the mock server at $LVHCMON_URL"
fi

if [ -z "${LVHCMON_URL:-}" ] || [ -z "${LVHCMON_TOKEN:-}" ]; then
  echo "run.sh: set LVHCMON_URL and LVHCMON_TOKEN (a controller token), or pass --mock" >&2
  exit 2
fi

if [ "$spec" = provider ]; then
  if [ -z "${LVHCMON_PROVIDER_TOKEN:-}" ]; then
    echo "run.sh: --provider needs LVHCMON_PROVIDER_TOKEN (a provider token)" >&2
    exit 2
  fi
  export LVHCMON_PROVIDER_SCREENSHOT=${LVHCMON_PROVIDER_SCREENSHOT:-$here/provider.png}
  # the files to upload, built from the published layout for the token's AGB (unless the
  # caller built them: LVHCMON_AW319_SPEC)
  if [ -z "${LVHCMON_AW319_SPEC:-}" ]; then
    agb=$(curl -fsS -H "Authorization: Bearer $LVHCMON_PROVIDER_TOKEN" "$LVHCMON_URL/api/v1/whoami" \
          | python3 -c 'import json, sys; print(json.load(sys.stdin)["provider_agb"])')
    python3 "$here/make_aw319.py" --agb "$agb" --zk "${LVHCMON_ZORGKANTOOR:-5501}" --out "$tmp/aw319" >/dev/null
    export LVHCMON_AW319_SPEC="$tmp/aw319/provider.json"
  fi
  node "$here/provider.spec.mjs"
else
  node "$here/dashboard.spec.mjs"
fi
