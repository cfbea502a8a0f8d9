#!/usr/bin/env bash
# The time from the SMTP 250 to the signed webhook delivered, at a sustained rate: on SQLite
# (`forewarn serve` alone) and on PostgreSQL + NATS JetStream (`forewarn serve` taking mail
# and notifying, one `forewarn worker` process analysing), with the default number of
# analysis tasks (`ingest.workers`), against release builds.
#   cargo build --release -p forewarn && cargo build --release -p forewarn-server --example alert_load
#   benches/alert-load/run.sh [RATE] [SECONDS] [CONNECTIONS] [LURE_EVERY] [BACKENDS]
# With LURE_EVERY = 10, one message in ten is a lure (its own incident) and the rest ordinary
# mail; the latency is the lures'. BACKENDS is "sqlite postgres" unless given.
# Needs PostgreSQL at FOREWARN_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
# and NATS with JetStream at FOREWARN_BENCH_NATS_URL (default nats://127.0.0.1:4222).
set -euo pipefail
cd "$(dirname "$0")/../.."
rate="${1:-500}"
seconds="${2:-30}"
connections="${3:-16}"
# The load comes from one address: let it have as many SMTP connections as it opens.
export FOREWARN_SMTP__MAX_CONNECTIONS_PER_CLIENT="$connections"
every="${4:-1}"
backends="${5:-sqlite postgres}"
bin=target/release/forewarn
load=target/release/examples/alert_load
admin_url="${FOREWARN_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
nats="${FOREWARN_BENCH_NATS_URL:-nats://127.0.0.1:4222}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return; sleep 0.05; done; echo "nothing listens on $1" >&2; exit 1; }

run() {
  local backend="$1" dir http smtp url pids=() name
  dir=$(mktemp -d)
  http=$(free_port); smtp=$(free_port)
  export FOREWARN_LOG="${FOREWARN_LOG:-warn}" FOREWARN_WEBHOOKS__ALLOW_PRIVATE=true
  if [ "$backend" = sqlite ]; then
    url="sqlite://$dir/forewarn.db"
    "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$http" --smtp-listen "127.0.0.1:$smtp" >"$dir/serve.log" 2>&1 &
    pids+=($!)
    echo "== SQLite, forewarn serve alone"
  else
    name="forewarn_alert_bench_$$"
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
    url="${admin_url%/*}/$name"
    export FOREWARN_INGEST__NATS_NAME="alert-bench-$$"
    FOREWARN_INGEST__WORKERS=0 "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$http" \
      --smtp-listen "127.0.0.1:$smtp" --database-url "$url" --nats-url "$nats" >"$dir/serve.log" 2>&1 &
    pids+=($!)
    wait_port "$smtp"
    "$bin" worker --database-url "$url" --nats-url "$nats" 2>"$dir/worker.log" >/dev/null &
    pids+=($!)
    echo "== PostgreSQL + NATS, forewarn serve notifying and 1 forewarn worker analysing"
  fi
  wait_port "$smtp"
  "$load" "$url" "127.0.0.1:$smtp" "$rate" "$seconds" "$connections" "$every"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  if [ "$backend" = postgres ]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
  fi
  [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"
}

for backend in $backends; do run "$backend"; done
