#!/usr/bin/env bash
# Provisions the generators and runtimes of the Python and Go clients (clients/python, clients/go),
# from package registries only, pinned by files in the repository:
#   python  a virtualenv with openapi-python-client and the client's runtime (httpx, attrs),
#           installed with hashes from clients/python/requirements-dev.txt (PyPI)
#   go      oapi-codegen, built from clients/go/tools/go.mod + go.sum (Go module proxy), and the
#           Go client's own modules (clients/go/go.sum) in Go's module cache
# Each is made once per machine into a cache outside the repository, named after a hash of its
# pinning files, so a change of pins installs anew and an unchanged one costs nothing. Prints the
# virtualenv's directory (python) or the oapi-codegen executable (go) on stdout, one line each for
# `all`; progress goes to stderr.
#
#   scripts/client-toolchains.sh python|go|all
#
# Needs Python >= 3.11 (the generated code uses typing.Self and enum.StrEnum) with venv and pip,
# and Go >= 1.21 (clients/go/go.mod asks for 1.26; an older Go fetches that toolchain itself).
# DURABLE_OTP_CACHE moves the cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${DURABLE_OTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/durable-otp}"

log() { echo "client-toolchains: $*" >&2; }

pins_hash() { cat "$@" | sha256sum | cut -c1-12; }

python_exe() {
  local candidate
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null &&
      "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  log "the Python client needs Python >= 3.11 with venv (python3 -m venv); none found"
  exit 1
}

python_env() {
  local requirements="$ROOT/clients/python/requirements-dev.txt"
  local dir; dir="$CACHE/python-clients-$(pins_hash "$requirements")"
  # A virtualenv's scripts name its interpreter by path, so it is made where it stays; the marker,
  # written last, tells a finished install from an interrupted one.
  if [[ ! -f "$dir/.installed" ]]; then
    local python; python=$(python_exe)
    log "installing openapi-python-client and the Python client's runtime from PyPI (first time only)"
    local start=$SECONDS
    rm -rf "$dir"
    "$python" -m venv "$dir" >&2
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      --require-hashes --only-binary :all: -r "$requirements" >&2
    "$dir/bin/openapi-python-client" --version >&2
    touch "$dir/.installed"
    log "Python client toolchain ready in $((SECONDS - start))s at $dir"
  fi
  echo "$dir"
}

go_env() {
  if ! command -v go >/dev/null; then
    log "the Go client is generated and built with Go (>= 1.21, https://go.dev/dl); it is not installed"
    exit 1
  fi
  local tools="$ROOT/clients/go/tools"
  local dir; dir="$CACHE/oapi-codegen-$(pins_hash "$tools/go.mod" "$tools/go.sum")"
  if [[ ! -x "$dir/oapi-codegen" ]]; then
    log "building oapi-codegen from the Go module proxy (first time only)"
    local tmp="$dir.tmp.$$" start=$SECONDS
    rm -rf "$tmp"; mkdir -p "$tmp"
    CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly" go -C "$tools" build -o "$tmp/oapi-codegen" \
      github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen >&2
    "$tmp/oapi-codegen" -version >&2
    rm -rf "$dir"; mv "$tmp" "$dir"
    log "oapi-codegen built in $((SECONDS - start))s into $dir"
  fi
  # The client's dependencies, checked against its go.sum (nothing to do when already there).
  GOFLAGS=-mod=readonly go -C "$ROOT/clients/go" mod download >&2
  echo "$dir/oapi-codegen"
}

case "${1:-all}" in
  python) python_env ;;
  go) go_env ;;
  all) python_env; go_env ;;
  *) log "usage: $0 python|go|all"; exit 2 ;;
esac
