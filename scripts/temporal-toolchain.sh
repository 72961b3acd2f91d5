#!/usr/bin/env bash
# Provisions the two Temporal servers this project runs against, from package registries only:
#   dev-server   the Temporal CLI (`temporal server start-dev`), built from the Go module proxy
#   test-server  the Java time-skipping test server, collected from Maven Central
# Each is built once per machine into a cache outside the repository, so fresh clones and CI
# reuse it. Prints the path of the ready executable on stdout; progress goes to stderr.
#
#   scripts/temporal-toolchain.sh dev-server|test-server|all
#
# Overrides: TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH point at existing executables;
# DURABLE_OTP_CACHE moves the cache. Without the needed toolchain (Go, or Java + Maven) it
# prints "sdk-download": the TypeScript SDK then downloads the server itself, which needs
# internet access; src/temporal/servers.ts turns a failure there into one clear message.
set -euo pipefail

CLI_VERSION=1.5.1           # Temporal server 1.29.1, UI 2.42.1; later tags refuse `go install`
TEST_SERVER_VERSION=1.38.0  # io.temporal:temporal-test-server
CACHE="${DURABLE_OTP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/durable-otp}"

log() { echo "temporal-toolchain: $*" >&2; }

# Waits until something listens on 127.0.0.1:$1 (pure bash, no netcat needed).
wait_for_port() {
  local port=$1 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

dev_server() {
  if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_CLI_PATH" ]] || { log "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not executable"; exit 1; }
    echo "$TEMPORAL_CLI_PATH"; return
  fi
  local dir="$CACHE/temporal-cli-$CLI_VERSION" bin
  bin="$dir/temporal"
  if [[ ! -x "$bin" ]]; then
    if ! command -v go >/dev/null; then
      log "no cached Temporal CLI and no Go toolchain: falling back to the SDK's download"
      echo sdk-download; return
    fi
    log "building Temporal CLI v$CLI_VERSION from the Go module proxy (first time only, a few minutes)"
    local tmp="$dir.tmp.$$"
    rm -rf "$tmp"; mkdir -p "$tmp"
    local start=$SECONDS
    GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-trimpath go install "github.com/temporalio/cli/cmd/temporal@v$CLI_VERSION" >&2
    "$tmp/temporal" --version >&2
    rm -rf "$dir"; mv "$tmp" "$dir"
    log "Temporal CLI built in $((SECONDS - start))s into $dir"
  fi
  echo "$bin"
}

test_server() {
  if [[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_TEST_SERVER_PATH" ]] || { log "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not executable"; exit 1; }
    echo "$TEMPORAL_TEST_SERVER_PATH"; return
  fi
  local dir="$CACHE/temporal-test-server-$TEST_SERVER_VERSION"
  local exe="$dir/temporal-test-server"
  if [[ ! -x "$exe" ]]; then
    if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
      log "no cached test server and no Java + Maven: falling back to the SDK's download"
      echo sdk-download; return
    fi
    log "collecting temporal-test-server $TEST_SERVER_VERSION from Maven Central (first time only)"
    local tmp="$dir.tmp.$$" start=$SECONDS
    rm -rf "$tmp"; mkdir -p "$tmp/pom"
    cat >"$tmp/pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.durable-otp</groupId><artifactId>test-server-classpath</artifactId><version>1</version>
  <dependencies><dependency>
    <groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>$TEST_SERVER_VERSION</version>
  </dependency></dependencies>
</project>
POM
    mvn -q -B -f "$tmp/pom/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$tmp/lib" -DincludeScope=runtime >&2
    rm -rf "$tmp/pom"
    # exec, so that the SDK's kill reaches the JVM itself; C1-only JIT and serial GC start fastest,
    # which matters because the SDK gives the server 5 s to listen.
    cat >"$tmp/temporal-test-server" <<'WRAPPER'
#!/usr/bin/env bash
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
WRAPPER
    chmod +x "$tmp/temporal-test-server"
    local port; port=$(free_port)
    "$tmp/temporal-test-server" "$port" --enable-time-skipping >/dev/null 2>&1 &
    local pid=$!
    if ! wait_for_port "$port" 30; then
      kill "$pid" 2>/dev/null || true
      log "the collected test server did not start listening; see java output by running $tmp/temporal-test-server $port"
      exit 1
    fi
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    rm -rf "$dir"; mv "$tmp" "$dir"
    log "test server ready in $((SECONDS - start))s at $dir"
  fi
  echo "$exe"
}

case "${1:-all}" in
  dev-server) dev_server ;;
  test-server) test_server ;;
  all) dev_server; test_server ;;
  *) log "usage: $0 dev-server|test-server|all"; exit 2 ;;
esac
