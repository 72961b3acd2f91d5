#!/usr/bin/env bash
# Provisions Prometheus and promtool, the companions of scripts/temporal-toolchain.sh for the
# operations checks: `make test-cluster` scrapes the API and the workers with a real Prometheus
# (test/cluster/observability.test.ts, scripts/plot-metrics.js) and the unit suite runs
# `promtool test rules` on deploy/prometheus/alerts.test.yml. Built once per machine from the Go
# module proxy into the same cache outside the repository; prints the path of the ready
# executable on stdout (two lines, prometheus then promtool, for `all`); progress on stderr.
#
#   scripts/prometheus-toolchain.sh [--cached] prometheus|promtool|all
#
# --cached never builds: without a cached (or overridden) executable it fails at once, saying how
# to get one. Tests use it, so a test run never starts a ten-minute build (`make test-deps` does).
#
# Overrides: PROMETHEUS_PATH / PROMTOOL_PATH point at existing executables; DURABLE_OTP_CACHE
# moves the cache. There is no download fallback: without Go (and without the overrides) this
# fails with a message saying what to install.
set -euo pipefail

# Prometheus 3.x is published to the Go module proxy as v0.3xx.y: v0.316.0 is Prometheus 3.16.0.
# Built this way the web UI's assets are absent; scraping, storage, rules and the HTTP query API
# (/api/v1/query, /api/v1/query_range) are all there, which is what this project uses.
PROMETHEUS_MODULE_VERSION=0.316.0
CACHED_ONLY=
[[ "${1:-}" == --cached ]] && { CACHED_ONLY=1; shift; }
CACHE="${DURABLE_OTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/durable-otp}"

log() { echo "prometheus-toolchain: $*" >&2; }

# Both executables come from one module version and share nearly every dependency, so one
# `go install` builds them together into one cache directory.
tools_dir() {
  local dir="$CACHE/prometheus-$PROMETHEUS_MODULE_VERSION"
  if [[ -x "$dir/prometheus" && -x "$dir/promtool" ]]; then
    echo "$dir"; return
  fi
  if [[ -n "$CACHED_ONLY" ]]; then
    log "Prometheus and promtool are not built yet (no $dir): run \`make test-deps\` (or"
    log "scripts/prometheus-toolchain.sh all), or point PROMETHEUS_PATH and PROMTOOL_PATH at executables."
    exit 1
  fi
  if ! command -v go >/dev/null; then
    log "Prometheus and promtool are built from the Go module proxy, and Go is not installed."
    log "Install Go >= 1.21 (https://go.dev/dl; Go fetches the newer toolchain it needs by itself),"
    log "or point PROMETHEUS_PATH and PROMTOOL_PATH at existing executables."
    exit 1
  fi
  log "building Prometheus + promtool v$PROMETHEUS_MODULE_VERSION from the Go module proxy (first time only, ~10 minutes)"
  local tmp="$dir.tmp.$$" start=$SECONDS
  rm -rf "$tmp"; mkdir -p "$tmp"
  # Static like the upstream release builds; the web UI assets need npm and are left out.
  GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-trimpath go install \
    "github.com/prometheus/prometheus/cmd/prometheus@v$PROMETHEUS_MODULE_VERSION" \
    "github.com/prometheus/prometheus/cmd/promtool@v$PROMETHEUS_MODULE_VERSION" >&2
  # Both must run. `--version` of a `go install` build carries no version string (that comes
  # from -ldflags in the upstream Makefile), so running it is the check.
  local got
  for exe in prometheus promtool; do
    got=$("$tmp/$exe" --version 2>&1) || { log "$tmp/$exe does not run: $got"; exit 1; }
  done
  rm -rf "$dir"; mv "$tmp" "$dir"
  log "Prometheus + promtool built in $((SECONDS - start))s into $dir"
  echo "$dir"
}

# $1: executable name, $2: its override variable's value
resolve() {
  if [[ -n "$2" ]]; then
    [[ -x "$2" ]] || { log "${3}=$2 is not executable"; exit 1; }
    echo "$2"; return
  fi
  local dir; dir=$(tools_dir)
  echo "$dir/$1"
}

case "${1:-all}" in
  prometheus) resolve prometheus "${PROMETHEUS_PATH:-}" PROMETHEUS_PATH ;;
  promtool) resolve promtool "${PROMTOOL_PATH:-}" PROMTOOL_PATH ;;
  all)
    resolve prometheus "${PROMETHEUS_PATH:-}" PROMETHEUS_PATH
    resolve promtool "${PROMTOOL_PATH:-}" PROMTOOL_PATH ;;
  *) log "usage: $0 prometheus|promtool|all"; exit 2 ;;
esac
