#!/usr/bin/env bash
# Sustained SMTP ingest and the time from 250 to stored verdict, on SQLite (one process) and on
# PostgreSQL + NATS JetStream with 1 and 2 `forewarn worker` processes, against release builds.
#   cargo build --release -p forewarn && cargo build --release -p forewarn-ingest --example smtp_load
#   benches/smtp-load/run.sh [RATE] [SECONDS] [CONNECTIONS]
# ONLY=sqlite (or ONLY=postgres ONLY_WORKERS=N) runs one case alone. Analysis tasks are the
# default `ingest.workers` in `forewarn serve` and in each `forewarn worker`, unless TASKS=N.
# Needs PostgreSQL at FOREWARN_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
# and NATS with JetStream at FOREWARN_BENCH_NATS_URL (default nats://127.0.0.1:4222).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -n "${TASKS:-}" ] && export FOREWARN_INGEST__WORKERS="$TASKS"
rate="${1:-500}"
seconds="${2:-30}"
connections="${3:-16}"
# The load comes from one address: let it have as many SMTP connections as it opens.
export FOREWARN_SMTP__MAX_CONNECTIONS_PER_CLIENT="$connections"
bin=target/release/forewarn
load=target/release/examples/smtp_load
admin_url="${FOREWARN_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
nats="${FOREWARN_BENCH_NATS_URL:-nats://127.0.0.1:4222}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return; sleep 0.05; done; echo "nothing listens on $1" >&2; exit 1; }

run() {
  local backend="$1" workers="$2" dir http smtp url pids=() name
  dir=$(mktemp -d)
  http=$(free_port); smtp=$(free_port)
  if [ "$backend" = sqlite ]; then
    url="sqlite://$dir/forewarn.db"
    "$load" setup "$url"
    FOREWARN_LOG=warn \
      "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$http" --smtp-listen "127.0.0.1:$smtp" 2>"$dir/serve.log" >/dev/null &
    pids+=($!)
  else
    name="forewarn_bench_$$_$workers"
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
    url="${admin_url%/*}/$name"
    "$load" setup "$url"
    export FOREWARN_INGEST__NATS_NAME="bench-$$-$workers"
    FOREWARN_LOG=warn FOREWARN_INGEST__WORKERS=0 \
      "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$http" --smtp-listen "127.0.0.1:$smtp" \
      --database-url "$url" --nats-url "$nats" 2>"$dir/serve.log" >/dev/null &
    pids+=($!)
    for n in $(seq 1 "$workers"); do
      FOREWARN_LOG=warn "$bin" worker --database-url "$url" --nats-url "$nats" 2>"$dir/worker-$n.log" >/dev/null &
      pids+=($!)
    done
  fi
  wait_port "$smtp"
  echo "== $backend, $( [ "$backend" = sqlite ] && echo "forewarn serve alone" || echo "$workers forewarn worker processes"), ${TASKS:-the default} analysis tasks each"
  "$load" load "$url" "127.0.0.1:$smtp" "$rate" "$seconds" "$connections"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  if [ "$backend" = postgres ]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
  fi
  rm -rf "$dir"
}

if [ -n "${ONLY:-}" ]; then
  run "$ONLY" "${ONLY_WORKERS:-1}"
  exit
fi
run sqlite 1
run postgres 1
run postgres 2
