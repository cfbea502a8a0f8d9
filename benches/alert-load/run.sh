#!/usr/bin/env bash
# The time from the SMTP 250 to the signed webhook delivered, at a sustained rate, with every
# message opening its own incident: `forewarn serve` on SQLite (one process, two analysis
# tasks), against release builds.
#   cargo build --release -p forewarn && cargo build --release -p forewarn-server --example alert_load
#   benches/alert-load/run.sh [RATE] [SECONDS] [CONNECTIONS] [LURE_EVERY]
# With LURE_EVERY = 10, one message in ten is a lure (its own incident) and the rest ordinary
# mail; the latency is the lures'.
set -euo pipefail
cd "$(dirname "$0")/../.."
rate="${1:-500}"
seconds="${2:-30}"
connections="${3:-16}"
every="${4:-1}"
bin=target/release/forewarn
load=target/release/examples/alert_load
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return; sleep 0.05; done; echo "nothing listens on $1" >&2; exit 1; }

dir=$(mktemp -d)
http=$(free_port); smtp=$(free_port)
FOREWARN_LOG=warn FOREWARN_WEBHOOKS__ALLOW_PRIVATE=true \
  "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$http" --smtp-listen "127.0.0.1:$smtp" 2>"$dir/serve.log" >/dev/null &
pid=$!
wait_port "$smtp"
echo "== SQLite, forewarn serve with 2 analysis tasks; every message its own incident, e-mailed (outbox) and posted"
"$load" "sqlite://$dir/forewarn.db" "127.0.0.1:$smtp" "$rate" "$seconds" "$connections" "$every"
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
rm -rf "$dir"
