#!/usr/bin/env bash
# Provisions the Temporal servers this project runs against, from package registries only:
#   dev-server   the Temporal CLI (`temporal server start-dev`), built from the Go module proxy
#   test-server  the Java time-skipping test server, collected from Maven Central
#   server       the real Temporal server (`temporal-server start`), from the Go module proxy
#   sql-tool     `temporal-sql-tool`, which creates and migrates its SQL schemas (built with server)
# Each is built once per machine into a cache outside the repository, so fresh clones and CI
# reuse it. Prints the path of the ready executable on stdout (one line per executable for
# `cluster` and `all`); progress goes to stderr.
#
#   scripts/temporal-toolchain.sh dev-server|test-server|server|sql-tool|cluster|all
#
# Overrides: TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH / TEMPORAL_SERVER_PATH /
# TEMPORAL_SQL_TOOL_PATH point at existing executables; DURABLE_OTP_CACHE moves the cache.
# Without the needed toolchain (Go, or Java + Maven) dev-server and test-server print
# "sdk-download": the TypeScript SDK then downloads the server itself, which needs internet
# access; src/temporal/servers.ts turns a failure there into one clear message. The SDK has no
# download of the real server, so server and sql-tool fail with a message saying what to install.
set -euo pipefail

CLI_VERSION=1.5.1           # Temporal server 1.29.1, UI 2.42.1; later tags refuse `go install`
TEST_SERVER_VERSION=1.38.0  # io.temporal:temporal-test-server
# The server the CLI above embeds, so `make run` and `make cluster` run the same server code.
# go.mod of this version asks for Go >= 1.25 (an older Go >= 1.21 fetches that toolchain itself).
SERVER_VERSION=1.29.1       # go.temporal.io/server: cmd/server and cmd/tools/sql
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

# The real server and its schema tool come from one module version, so they are built together
# by one `go install` (they share almost every dependency) into one cache directory.
server_tools_dir() {
  local dir="$CACHE/temporal-server-$SERVER_VERSION"
  if [[ -x "$dir/temporal-server" && -x "$dir/temporal-sql-tool" ]]; then
    echo "$dir"; return
  fi
  if ! command -v go >/dev/null; then
    log "the Temporal server $SERVER_VERSION is built from the Go module proxy, and Go is not installed."
    log "Install Go >= 1.21 (https://go.dev/dl; Go fetches the 1.25 toolchain it needs by itself),"
    log "or point TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH at existing executables."
    exit 1
  fi
  log "building Temporal server + temporal-sql-tool v$SERVER_VERSION from the Go module proxy (first time only, a few minutes)"
  local tmp="$dir.tmp.$$" start=$SECONDS
  rm -rf "$tmp"; mkdir -p "$tmp"
  # The server's own release builds are static (CGO_ENABLED=0): no libc dependency, and its SQL
  # drivers are pure Go.
  GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-trimpath go install \
    "go.temporal.io/server/cmd/server@v$SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@v$SERVER_VERSION" >&2
  mv "$tmp/server" "$tmp/temporal-server"
  mv "$tmp/sql" "$tmp/temporal-sql-tool"
  # Both must run and be the pinned version: `--version` prints "temporal version 1.29.1".
  local got
  for exe in temporal-server temporal-sql-tool; do
    got=$("$tmp/$exe" --version 2>&1) || { log "$tmp/$exe does not run: $got"; exit 1; }
    [[ "$got" == *"$SERVER_VERSION"* ]] || { log "$tmp/$exe reports '$got', expected $SERVER_VERSION"; exit 1; }
  done
  rm -rf "$dir"; mv "$tmp" "$dir"
  log "Temporal server + temporal-sql-tool built in $((SECONDS - start))s into $dir"
  echo "$dir"
}

server() {
  if [[ -n "${TEMPORAL_SERVER_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_SERVER_PATH" ]] || { log "TEMPORAL_SERVER_PATH=$TEMPORAL_SERVER_PATH is not executable"; exit 1; }
    echo "$TEMPORAL_SERVER_PATH"; return
  fi
  local dir; dir=$(server_tools_dir)
  echo "$dir/temporal-server"
}

sql_tool() {
  if [[ -n "${TEMPORAL_SQL_TOOL_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_SQL_TOOL_PATH" ]] || { log "TEMPORAL_SQL_TOOL_PATH=$TEMPORAL_SQL_TOOL_PATH is not executable"; exit 1; }
    echo "$TEMPORAL_SQL_TOOL_PATH"; return
  fi
  local dir; dir=$(server_tools_dir)
  echo "$dir/temporal-sql-tool"
}

case "${1:-all}" in
  dev-server) dev_server ;;
  test-server) test_server ;;
  server) server ;;
  sql-tool) sql_tool ;;
  cluster) server; sql_tool ;;
  all) dev_server; test_server; server; sql_tool ;;
  *) log "usage: $0 dev-server|test-server|server|sql-tool|cluster|all"; exit 2 ;;
esac
