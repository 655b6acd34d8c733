#!/usr/bin/env bash
# Makes sure the services the tests use are there before `npm test` runs them:
# a PostgreSQL server on 127.0.0.1:5432 (started if installed but stopped, installed from Debian if missing),
# a NATS server with JetStream on 127.0.0.1:4222 for the stream tests (started if installed but stopped),
# Debian's Chromium for the dashboard tests in a real browser (installed if missing), and promtool for the metrics
# test (unpacked into .tools/ from Debian's prometheus package, never installed).
# Outside CI, anything it cannot do is reported and the tests that need it skip themselves with the reason.
set -u

ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi; }

if [ -z "${STOREPULSE_TEST_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "[test-services] Chromium is not installed; installing Debian's chromium for the browser tests (about a minute)"
  { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
    || echo "[test-services] could not install Chromium (it takes root or passwordless sudo)"
  [ -x /usr/bin/chromium ] && echo "[test-services] Chromium is ready"
fi

# promtool (from Debian's prometheus package) checks the /metrics text format in test/ops/metrics.test.ts. The
# package is only downloaded and unpacked under .tools/ (gitignored): nothing is installed, no Prometheus service
# is set up or started. Skipped when promtool is already there.
promtool_dir="$(dirname "$0")/../.tools/prometheus"
if [ -z "${STOREPULSE_TEST_PROMTOOL:-}" ] && ! command -v promtool >/dev/null 2>&1 && [ ! -x "$promtool_dir/usr/bin/promtool" ]; then
  echo "[test-services] promtool is missing; unpacking Debian's prometheus package into .tools/prometheus (not installed)"
  debs="$(dirname "$0")/../.tools/debs"
  mkdir -p "$debs"
  fetch() { (cd "$debs" && apt-get download -q prometheus >/dev/null 2>&1); }
  # The package lists may be missing or stale (a fresh container): refresh them once, which takes root.
  fetch || { as_root apt-get update -qq >/dev/null 2>&1 && fetch; } || echo "[test-services] could not download the prometheus package (no apt, network or package lists)"
  deb=$(ls "$debs"/prometheus_*.deb 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$deb" ] && dpkg -x "$deb" "$promtool_dir"; then
    # Only promtool is needed; the server and its web assets go.
    rm -f "$debs"/prometheus_*.deb
    find "$promtool_dir" -type f ! -path '*/usr/bin/promtool' -delete
    "$promtool_dir/usr/bin/promtool" --version >/dev/null 2>&1 && echo "[test-services] promtool is ready (.tools/prometheus/usr/bin/promtool)"
  fi
fi

# NATS with JetStream for the stream source tests (test/ingest/stream): started when installed but not listening.
nats_ready() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }
if [ -z "${STOREPULSE_TEST_NATS:-}" ] && ! nats_ready; then
  if [ ! -x /usr/sbin/nats-server ]; then
    echo "[test-services] nats-server is not installed; installing it from Debian's packages"
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null; } \
      || echo "[test-services] could not install nats-server"
  fi
  if [ -x /usr/sbin/nats-server ]; then
    echo "[test-services] starting nats-server with JetStream"
    as_root mkdir -p /var/lib/nats-server
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || echo "[test-services] could not start nats-server"
    for _ in $(seq 1 20); do nats_ready && break; sleep 0.25; done
    nats_ready && echo "[test-services] NATS is ready" || echo "[test-services] NATS is not reachable on 127.0.0.1:4222"
  fi
fi

if [ -n "${STOREPULSE_TEST_PG:-}" ]; then exit 0; fi
if ready; then exit 0; fi

if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "[test-services] PostgreSQL is not installed; installing it from Debian's packages"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
    || echo "[test-services] could not install PostgreSQL"
fi
if ls /etc/postgresql/*/main >/dev/null 2>&1 && ! ready; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "[test-services] starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || echo "[test-services] could not start PostgreSQL"
  # Trust local TCP connections for the test user, as the project's machines are set up.
  for _ in $(seq 1 20); do ready && break; sleep 0.5; done
fi
ready && echo "[test-services] PostgreSQL is ready" || echo "[test-services] PostgreSQL is not reachable on 127.0.0.1:5432"
exit 0
