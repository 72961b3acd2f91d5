#!/usr/bin/env bash
# `make cluster`: the scaled topology on this machine, from package registries only, in the
# foreground until Ctrl-C:
#   PostgreSQL (Debian package; own data directory and port; run as a non-root user)
#   -> schemas `temporal` and `temporal_visibility` (temporal-sql-tool, SQL visibility)
#   -> the Temporal server itself (not the dev server), config deploy/cluster/
#   -> namespace with retention OTP_RETENTION, and the session search attributes
#   -> redis-server (rate limits and credits shared by every process)
#   -> CLUSTER_WORKERS workers (node dist/src/bin/worker.js), their build made current, and one API
#      (node dist/src/bin/api.js)
# Everything listens on 127.0.0.1. State, logs and generated secrets are in CLUSTER_DIR and
# survive a restart; Ctrl-C (or SIGTERM) stops the processes in order: API, workers, Temporal,
# Redis, PostgreSQL. (Started as a background job of a script, it ignores SIGINT — shells do that
# to background jobs — so stop it with SIGTERM there.)
#
# Environment (all optional):
#   CLUSTER_DIR            state directory                               $DATA_DIR/cluster (./data/cluster)
#   CLUSTER_PORT_OFFSET    every port is its usual number plus this      10000 (API 13000, Temporal 17233,
#                                                                        PostgreSQL 15432, Redis 16379)
#   CLUSTER_WORKERS        worker processes                              2
#   CLUSTER_HISTORY_SHARDS history shards, fixed at the first start      4 (deploy/cluster/*.yaml)
#   OTP_RETENTION          namespace retention, a Temporal CLI duration  30d
#   TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, OTP_TENANTS_FILE, OTP_BCRYPT_ROUNDS, LOG_LEVEL,
#   SMTP_URL, EMAIL_FROM, TWILIO_*            passed to the product (SPEC §2)
#   TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH, TEMPORAL_CLI_PATH, DURABLE_OTP_CACHE
#                                             see scripts/temporal-toolchain.sh
#   CLUSTER_PG_BIN         PostgreSQL's bin directory                    newest /usr/lib/postgresql/*/bin
#   CLUSTER_PG_OS_USER     the user PostgreSQL runs as when this runs as root      postgres
# Once every process is up it writes CLUSTER_DIR/run/cluster.env (addresses, pids) and prints
# "cluster ready"; the e2e tests (test/cluster/) wait for that file.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"

log() { echo "cluster: $*" >&2; }
die() { log "$*"; exit 1; }

# --- settings -----------------------------------------------------------------------------
offset="${CLUSTER_PORT_OFFSET:-10000}"
workers="${CLUSTER_WORKERS:-2}"
retention="${OTP_RETENTION:-30d}"
namespace="${TEMPORAL_NAMESPACE:-default}"
task_queue="${TEMPORAL_TASK_QUEUE:-otp-sessions}"
# Temporal stores membership ports (6933-6939 + offset) in a PostgreSQL smallint: at most 32767.
[[ "$offset" =~ ^[0-9]+$ ]] && ((offset <= 32767 - 6939)) ||
  die "CLUSTER_PORT_OFFSET=$offset: a number from 0 to $((32767 - 6939)) (Temporal keeps membership ports, 6933-6939 + offset, in a smallint)"
[[ "$workers" =~ ^[1-9][0-9]?$ ]] || die "CLUSTER_WORKERS=$workers: a number from 1 to 99"
DATA_DIR="${DATA_DIR:-./data}"
CLUSTER_DIR="$(mkdir -p "${CLUSTER_DIR:-$DATA_DIR/cluster}" && cd "${CLUSTER_DIR:-$DATA_DIR/cluster}" && pwd)"

export CLUSTER_PG_PORT=$((5432 + offset))
redis_port=$((6379 + offset))
api_port=$((3000 + offset))
export CLUSTER_FRONTEND_PORT=$((7233 + offset)) CLUSTER_HISTORY_PORT=$((7234 + offset))
export CLUSTER_MATCHING_PORT=$((7235 + offset)) CLUSTER_WORKER_PORT=$((7239 + offset))
export CLUSTER_FRONTEND_MEMBERSHIP_PORT=$((6933 + offset)) CLUSTER_HISTORY_MEMBERSHIP_PORT=$((6934 + offset))
export CLUSTER_MATCHING_MEMBERSHIP_PORT=$((6935 + offset)) CLUSTER_WORKER_MEMBERSHIP_PORT=$((6939 + offset))
export CLUSTER_TEMPORAL_METRICS_PORT=$((8000 + offset))
export CLUSTER_HISTORY_SHARDS="${CLUSTER_HISTORY_SHARDS:-4}"
export CLUSTER_DYNAMIC_CONFIG="$repo/deploy/cluster/dynamicconfig.yaml"
export CLUSTER_ARCHIVAL_DIR="$CLUSTER_DIR/archival"
address="127.0.0.1:$CLUSTER_FRONTEND_PORT"

logs="$CLUSTER_DIR/logs" run="$CLUSTER_DIR/run"
mkdir -p "$logs" "$run" "$CLUSTER_ARCHIVAL_DIR"
# Others may pass through (PostgreSQL runs as another user) but not list it; secrets are 0600.
chmod 711 "$CLUSTER_DIR"

# One cluster per state directory: a second `make cluster` on it stops here.
exec 9>"$run/lock"
flock -n 9 || die "another scripts/cluster.sh already runs on $CLUSTER_DIR"
rm -f "$run/cluster.env" "$run"/*.pid

# --- what it runs -------------------------------------------------------------------------
[[ -f dist/src/bin/api.js && -f dist/src/bin/worker.js ]] || die "dist/ is missing: run \`make build\` (make cluster does)"
server_bin=$(scripts/temporal-toolchain.sh server)
sql_tool=$(scripts/temporal-toolchain.sh sql-tool)
cli=$(scripts/temporal-toolchain.sh dev-server)
[[ "$cli" != sdk-download ]] || die "the Temporal CLI is needed to register the namespace: install Go or set TEMPORAL_CLI_PATH"
command -v redis-server >/dev/null || die "redis-server is missing: apt-get install redis-server (scripts/install-test-deps.sh --cluster)"
pg_bin="${CLUSTER_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[[ -n "$pg_bin" && -x "$pg_bin/postgres" ]] ||
  die "PostgreSQL is missing: apt-get install postgresql (scripts/install-test-deps.sh --cluster), or set CLUSTER_PG_BIN"

for port in "$CLUSTER_PG_PORT" "$redis_port" "$api_port" "$CLUSTER_FRONTEND_PORT" "$CLUSTER_HISTORY_PORT" \
  "$CLUSTER_MATCHING_PORT" "$CLUSTER_WORKER_PORT" "$CLUSTER_FRONTEND_MEMBERSHIP_PORT" \
  "$CLUSTER_HISTORY_MEMBERSHIP_PORT" "$CLUSTER_MATCHING_MEMBERSHIP_PORT" "$CLUSTER_WORKER_MEMBERSHIP_PORT" \
  "$CLUSTER_TEMPORAL_METRICS_PORT" $(seq $((9465 + offset)) $((9464 + offset + workers))); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is taken; choose other ports with CLUSTER_PORT_OFFSET (now $offset)"
  fi
done

# --- secrets, generated once into CLUSTER_DIR (mode 0600) ---------------------------------
hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
secrets="$CLUSTER_DIR/secrets.env"
if [[ ! -f "$secrets" ]]; then
  (
    umask 077
    {
      echo "CLUSTER_PG_PASSWORD=$(hex 24)"
      echo "CLUSTER_REDIS_PASSWORD=$(hex 24)"
      echo "OTP_TOKEN_SECRET=$(hex 32)"
      echo "OTP_CODE_SECRET=$(hex 32)"
      echo "OTP_ADMIN_TOKEN=$(hex 32)"
      echo "OTP_CODEC_TOKEN=$(hex 32)"
      echo "OTP_PAYLOAD_KEYS=k$(date -u +%Y%m%d):$(head -c 32 /dev/urandom | base64)"
    } >"$secrets.tmp"
    mv "$secrets.tmp" "$secrets"
  )
  log "generated secrets into $secrets"
fi
set -a
# shellcheck source=/dev/null
source "$secrets"
set +a

tenants="${OTP_TENANTS_FILE:-$CLUSTER_DIR/tenants.json}"
if [[ ! -f "$tenants" ]]; then
  # The same dev tenant as `make run`; its keys are kept (0600) so every start can show them.
  node -e '
    const { ensureDevTenantsFile } = require("./dist/src/config/tenants");
    const { writeFileSync } = require("node:fs");
    const { keys } = ensureDevTenantsFile(process.argv[1]);
    writeFileSync(process.argv[2], `DEV_LIVE_KEY=${keys.live}\nDEV_TEST_KEY=${keys.test}\n`, { mode: 0o600 });
  ' "$tenants" "$CLUSTER_DIR/dev-keys.env"
  log "generated a dev tenant into $tenants"
fi

# --- process supervision ------------------------------------------------------------------
# Every child runs in its own session (setsid), so Ctrl-C reaches only this script, which then
# stops them in order; `setsid` execs in place, so $! is the process itself.
declare -A pids=()
order=()
stopping=0

start() { # name logfile command...
  local name=$1 logfile=$2
  shift 2
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  pids[$name]=$!
  disown # this script reports a death itself, and bash would print "Killed" for a worker
  order+=("$name")
  echo "$!" >"$run/$name.pid"
}

alive() { [[ -n "${pids[$1]:-}" ]] && kill -0 "${pids[$1]}" 2>/dev/null; }

signal_one() { # name signal: sent once (a second SIGTERM would cut a node process's shutdown short)
  [[ -n "${pids[$1]:-}" ]] && kill "-$2" "${pids[$1]}" 2>/dev/null || true
}

await_one() { # name seconds: waits for the process to exit, then kills it
  local name=$1 seconds=$2 pid=${pids[$1]:-}
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    local deadline=$((SECONDS + seconds))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop within ${seconds}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  rm -f "$run/$name.pid"
  unset "pids[$name]"
}

shutdown() {
  ((stopping)) && return
  stopping=1
  trap '' INT TERM # a second Ctrl-C (or make's own SIGINT) must not cut the shutdown short
  log "stopping (logs in $logs)"
  signal_one api TERM && await_one api 15
  # Workers finish the tasks they hold (in parallel), then Temporal, Redis and PostgreSQL stop.
  for ((i = 1; i <= workers; i++)); do signal_one "worker-$i" TERM; done
  for ((i = 1; i <= workers; i++)); do await_one "worker-$i" 30; done
  signal_one temporal TERM && await_one temporal 30
  signal_one redis TERM && await_one redis 15
  signal_one postgres INT && await_one postgres 30 # "fast" shutdown: ends sessions, checkpoints, exits
  rm -f "$run/cluster.env"
  log "stopped"
}
# A stop that was asked for (Ctrl-C, SIGTERM) and went cleanly is a success.
trap 'shutdown; exit 0' INT TERM
trap 'status=$?; shutdown; exit $status' EXIT

fail_with_log() { # name: the process died or never became ready
  log "$1 failed; the end of $logs/$1.log:"
  tail -n 15 "$logs/$1.log" | cut -c1-400 | sed 's/^/    /' >&2 || true
  exit 1
}

wait_until() { # name seconds command...: polls command until it succeeds
  local name=$1 seconds=$2 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    alive "$name" || fail_with_log "$name"
    ((SECONDS < deadline)) || { log "$name not ready after ${seconds}s"; fail_with_log "$name"; }
    sleep 0.3
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- PostgreSQL -----------------------------------------------------------------------------
# The server refuses to run as root: as root it runs as CLUSTER_PG_OS_USER (Debian's package
# creates `postgres`), which must own its data directory and be able to reach it.
pgdata="$CLUSTER_DIR/postgres"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  pg_user="${CLUSTER_PG_OS_USER:-postgres}"
  id "$pg_user" >/dev/null 2>&1 || die "user $pg_user is missing (Debian's postgresql package creates it); set CLUSTER_PG_OS_USER"
  as_pg=(setpriv --reuid="$pg_user" --regid="$pg_user" --init-groups --reset-env --)
  mkdir -p "$pgdata"
  chown "$pg_user:" "$pgdata"
  chmod 700 "$pgdata"
  "${as_pg[@]}" test -w "$pgdata" ||
    die "$pg_user cannot reach $pgdata (a parent directory is closed to it): set CLUSTER_DIR elsewhere, e.g. /var/tmp/durable-otp-cluster"
fi
if [[ ! -f "$pgdata/PG_VERSION" ]]; then
  log "initdb $pgdata (PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'))"
  pwfile="$run/pg.pwfile"
  (umask 077 && printf '%s\n' "$CLUSTER_PG_PASSWORD" >"$pwfile")
  [[ ${#as_pg[@]} -eq 0 ]] || chown "$pg_user:" "$pwfile"
  # Superuser `temporal` with a password (scram); the unix socket is off, TCP on 127.0.0.1 only.
  if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$pgdata" -U temporal --pwfile="$pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C >>"$logs/postgres.log" 2>&1; then
    rm -f "$pwfile"
    fail_with_log postgres
  fi
  rm -f "$pwfile"
fi
start postgres "$logs/postgres.log" "${as_pg[@]}" "$pg_bin/postgres" -D "$pgdata" -p "$CLUSTER_PG_PORT" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=100
wait_until postgres 60 "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$CLUSTER_PG_PORT"
log "PostgreSQL on 127.0.0.1:$CLUSTER_PG_PORT"

# --- schemas ------------------------------------------------------------------------------
# Each step is idempotent: `create` skips an existing database, `setup-schema -v 0.0` leaves a
# versioned schema alone, `update-schema` applies only the versions not applied yet. The schemas
# are the ones embedded in temporal-sql-tool (the same files as schema/postgresql/v12/ of the module).
for db in temporal temporal_visibility; do
  schema=postgresql/v12/temporal
  [[ "$db" == temporal_visibility ]] && schema=postgresql/v12/visibility
  for step in create "setup-schema -v 0.0" "update-schema --schema-name $schema"; do
    # shellcheck disable=SC2086
    SQL_PLUGIN=postgres12 SQL_HOST=127.0.0.1 SQL_PORT="$CLUSTER_PG_PORT" SQL_USER=temporal \
      SQL_PASSWORD="$CLUSTER_PG_PASSWORD" SQL_DATABASE="$db" \
      "$sql_tool" $step >>"$logs/schema.log" 2>&1 ||
      { log "temporal-sql-tool $step on $db failed:"; tail -n 20 "$logs/schema.log" | sed 's/^/    /' >&2; exit 1; }
  done
done
log "schemas temporal + temporal_visibility at the server's version"

# --- Temporal server ------------------------------------------------------------------------
# --config is relative to --root; the working directory is the state directory, whatever
# relative paths the server may resolve against it.
mkdir -p "$CLUSTER_DIR/temporal"
start temporal "$logs/temporal.log" env -C "$CLUSTER_DIR/temporal" "$server_bin" \
  --root "$repo" --config deploy/cluster --env development-postgres12 \
  --allow-no-auth start
wait_until temporal 90 "$cli" operator cluster health --address "$address"
log "Temporal server $("$server_bin" --version | awk '{print $NF}') on $address ($CLUSTER_HISTORY_SHARDS history shards)"

tctl() { "$cli" --address "$address" --namespace "$namespace" "$@"; }
if tctl operator namespace describe >/dev/null 2>&1; then
  tctl operator namespace update --retention "$retention" >/dev/null ||
    die "could not set retention $retention on namespace $namespace"
else
  tctl operator namespace create --retention "$retention" >/dev/null ||
    die "could not create namespace $namespace with retention $retention (OTP_RETENTION: a duration such as 30d or 720h)"
fi
log "namespace $namespace, retention $(tctl operator namespace describe -o json | node -e '
  const ns = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const s = parseInt(ns.config.workflowExecutionRetentionTtl, 10);
  console.log(s % 86400 === 0 ? `${s / 86400} days` : `${s} s`);')"

# The session's search attributes, read from the code (workflows/search-attributes.ts) so this
# list can never drift from what the workflow upserts.
mapfile -t attributes < <(node -e '
  const { SESSION_SEARCH_ATTRIBUTES } = require("./dist/workflows/search-attributes");
  const cli = { KEYWORD: "Keyword", KEYWORD_LIST: "KeywordList", BOOL: "Bool", TEXT: "Text",
                INT: "Int", DOUBLE: "Double", DATETIME: "Datetime" };
  for (const key of SESSION_SEARCH_ATTRIBUTES) console.log(`${key.name} ${cli[key.type]}`);')
# A namespace just created reaches the frontend's namespace cache within seconds.
wait_until temporal 30 tctl operator search-attribute list
registered() { tctl operator search-attribute list -o json | grep -q "\"$1\""; }
query=()
for entry in "${attributes[@]}"; do
  read -r name type <<<"$entry"
  for ((try = 1; ; try++)); do
    registered "$name" && break
    ((try <= 10)) || die "could not register search attribute $name ($type): see $cli operator search-attribute create"
    tctl operator search-attribute create --name "$name" --type "$type" >/dev/null 2>&1 || sleep 1
  done
  case "$type" in Bool) query+=("$name = true") ;; *) query+=("$name = 'x'") ;; esac
done
# A query naming every attribute is refused until the frontend knows them all (namespace cache).
query_all=$(IFS='|' && echo "${query[*]}" | sed 's/|/ AND /g')
wait_until temporal 30 tctl workflow count --query "$query_all"
log "search attributes registered: $(printf '%s, ' "${attributes[@]}" | sed 's/, $//')"

# --- Redis --------------------------------------------------------------------------------
# Its password goes through a 0600 config file, not the command line (which `ps` shows).
mkdir -p "$CLUSTER_DIR/redis"
(
  umask 077
  printf '%s\n' "bind 127.0.0.1" "port $redis_port" "dir $CLUSTER_DIR/redis" "appendonly yes" 'save ""' \
    "requirepass $CLUSTER_REDIS_PASSWORD" >"$CLUSTER_DIR/redis/redis.conf"
)
start redis "$logs/redis.log" redis-server "$CLUSTER_DIR/redis/redis.conf"
wait_until redis 20 port_open "$redis_port"
log "Redis on 127.0.0.1:$redis_port (append-only file in $CLUSTER_DIR/redis)"

# --- the product ------------------------------------------------------------------------------
export TEMPORAL_ADDRESS="$address" TEMPORAL_NAMESPACE="$namespace" TEMPORAL_TASK_QUEUE="$task_queue"
export REDIS_URL="redis://:$CLUSTER_REDIS_PASSWORD@127.0.0.1:$redis_port"
export OTP_TENANTS_FILE="$tenants"
unset CLUSTER_PG_PASSWORD # the product never needs it
for ((i = 1; i <= workers; i++)); do
  # Distinct Prometheus ports (WORKER_METRICS_PORT, usually 9464): the workers share one host.
  start "worker-$i" "$logs/worker-$i.log" env WORKER_METRICS_PORT=$((9464 + offset + i)) node dist/src/bin/worker.js
done
# `make cluster` owns its deployment: its workers' build becomes current once they poll (SPEC §10),
# and sessions an earlier build left open stay pinned to that build. A rainbow deploy of a running
# cluster is deploy/README.md's procedure instead.
node dist/src/bin/deploy.js promote --no-wait --poll-timeout 2m >>"$logs/deploy.log" 2>&1 ||
  { log "could not make the workers' build current:"; tail -n 5 "$logs/deploy.log" | sed 's/^/    /' >&2; exit 1; }
log "$(tail -n 1 "$logs/deploy.log" | sed 's/^deploy: //; s/: new sessions start on it.*//')"
start api "$logs/api.log" env PORT="$api_port" node dist/src/bin/api.js
api_url="http://127.0.0.1:$api_port"
ready() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$api_url/readyz"; }
wait_until api 120 ready
for ((i = 1; i <= workers; i++)); do alive "worker-$i" || fail_with_log "worker-$i"; done

{
  echo "CLUSTER_DIR=$CLUSTER_DIR"
  echo "API_URL=$api_url"
  echo "TEMPORAL_ADDRESS=$address"
  echo "TEMPORAL_NAMESPACE=$namespace"
  echo "TEMPORAL_TASK_QUEUE=$task_queue"
  echo "CLUSTER_PG_PORT=$CLUSTER_PG_PORT"
  echo "CLUSTER_REDIS_PORT=$redis_port"
  # Prometheus endpoints, for a scraper of this topology (test/cluster/observability.test.ts).
  echo "TEMPORAL_METRICS_URL=http://127.0.0.1:$CLUSTER_TEMPORAL_METRICS_PORT/metrics"
  for ((i = 1; i <= workers; i++)); do echo "WORKER_${i}_METRICS_URL=http://127.0.0.1:$((9464 + offset + i))/metrics"; done
  for name in "${order[@]}"; do echo "PID_${name//-/_}=${pids[$name]}" | tr '[:lower:]' '[:upper:]'; done
} >"$run/cluster.env.tmp"
mv "$run/cluster.env.tmp" "$run/cluster.env"

cat >&2 <<SUMMARY
cluster ready in ${SECONDS}s: PostgreSQL, Temporal, Redis, $workers workers, 1 API
  API          $api_url/api/v1/otp   (readiness $api_url/readyz)
  Temporal     $address   namespace $namespace   CLI: $cli --address $address workflow list
  dev keys     $CLUSTER_DIR/dev-keys.env   (tenants file $tenants)
  secrets      $secrets
  metrics      workers 127.0.0.1:$((9465 + offset))..$((9464 + offset + workers)), Temporal 127.0.0.1:$CLUSTER_TEMPORAL_METRICS_PORT
  logs         $logs/{postgres,schema,temporal,redis,worker-N,api}.log
Ctrl-C stops everything.
SUMMARY

# --- supervise ----------------------------------------------------------------------------
# A worker may die (or be killed, as the e2e test does): the others carry on. Anything else
# dying ends the cluster.
declare -A reported=()
while :; do
  sleep 1 &
  wait $! || true
  for name in "${order[@]}"; do
    [[ -n "${pids[$name]:-}" ]] || continue
    alive "$name" && continue
    if [[ "$name" == worker-* ]]; then
      if [[ -z "${reported[$name]:-}" ]]; then
        reported[$name]=1
        log "$name (pid ${pids[$name]}) exited; the other workers carry on ($logs/$name.log)"
      fi
      continue
    fi
    fail_with_log "$name"
  done
done
