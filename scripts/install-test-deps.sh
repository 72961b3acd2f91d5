#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing (CI runs as root).
#   scripts/install-test-deps.sh            redis-server, openssl, chromium
#   scripts/install-test-deps.sh --cluster  and PostgreSQL, for make cluster / make test-cluster
# Debian's postgresql package also creates an unused "main" cluster (port 5432); scripts/cluster.sh
# runs a server of its own, in its own data directory and on its own port.
set -euo pipefail
needed=()
command -v redis-server >/dev/null || needed+=(redis-server)
# Certificates for the mTLS connection test.
command -v openssl >/dev/null || needed+=(openssl)
# Headless Chromium for the demo page's browser test (driven by puppeteer-core; CHROMIUM_PATH overrides).
[[ -n "${CHROMIUM_PATH:-}" ]] || command -v chromium >/dev/null || needed+=(chromium fonts-liberation)
if [[ "${1:-}" == --cluster ]] && ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  needed+=(postgresql)
fi
((${#needed[@]} == 0)) && exit 0
if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
  echo "install-test-deps: please install: ${needed[*]} (apt-get install ${needed[*]})" >&2
  exit 1
fi
sudo=$([[ $(id -u) -eq 0 ]] && echo "" || echo sudo)
echo "install-test-deps: apt-get install ${needed[*]}" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >&2
