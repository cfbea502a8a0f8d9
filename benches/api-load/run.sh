#!/usr/bin/env bash
# Load on the REST API with wrk, on SQLite and on PostgreSQL, against the release binary.
#   cargo build --release -p forewarn && benches/api-load/run.sh [SECONDS] [CONNECTIONS]
# Needs wrk (apt-get install wrk), curl, and for the PostgreSQL half a server at
# FOREWARN_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
# Prints one line per backend and endpoint: requests/s, p50 and p99 latency, errors.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
connections="${2:-32}"
bin=target/release/forewarn
admin_url="${FOREWARN_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
here=benches/api-load

run_backend() {
  local backend="$1" dir port url=() pid password cookie csrf token program org
  dir=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  if [ "$backend" = postgres ]; then
    local name="forewarn_bench_$$"
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
    url=(--database-url "${admin_url%/*}/$name")
  fi
  FOREWARN_LOG=warn FOREWARN_LIMITS__ENROLL_PER_MINUTE=1000000000 FOREWARN_LIMITS__LOGIN_PER_MINUTE=1000 \
    "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" "${url[@]}" 2>"$dir/stderr" >/dev/null &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  password=$(awk '/one-time password/{getline; getline; print $1; exit}' "$dir/stderr")
  local base="http://127.0.0.1:$port/api/v1"
  curl -sf -c "$dir/cookies" -H 'content-type: application/json' \
    -d "{\"email\":\"operator@forewarn.invalid\",\"password\":\"$password\"}" "$base/session" >"$dir/session.json"
  csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$dir/session.json")
  token=$(curl -sf -b "$dir/cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$base/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  auth=(-H "authorization: Bearer $token" -H 'content-type: application/json')
  program=$(curl -sf "${auth[@]}" -d '{"name":"Healthcare","sectors":["healthcare"],"countries":["FR"]}' "$base/programs" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  # Some organizations to list, one of them approved.
  for i in $(seq 1 60); do
    curl -sf "${auth[@]}" -d "{\"name\":\"Clinic $i\",\"sector\":\"healthcare\",\"country\":\"FR\",\"program_id\":\"$program\",\"domains\":[\"c$i.example\"],\"language\":\"fr\",\"contacts\":[],\"admin\":{\"name\":\"A\",\"email\":\"a@c$i.example\"}}" \
      "$base/applications" >"$dir/org.json"
  done
  org=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["organization"]["id"])' "$dir/org.json")
  curl -sf "${auth[@]}" -d '{"status":"active"}' "$base/orgs/$org/status" >/dev/null

  export BENCH_TOKEN="$token" BENCH_ORG="$org" BENCH_PROGRAM="$program"
  for endpoint in "GET /orgs/{org_id}:read-org.lua" "GET /orgs?limit=50:read-orgs.lua" \
                  "PUT /orgs/{org_id}/contacts:write-contacts.lua" "POST /applications:write-application.lua"; do
    local label="${endpoint%%:*}" script="${endpoint##*:}"
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/$script" "http://127.0.0.1:$port" >"$dir/wrk.txt"
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/{print $2}' "$dir/wrk.txt")
    p50=$(awk '$1=="50%"{print $2}' "$dir/wrk.txt")
    p99=$(awk '$1=="99%"{print $2}' "$dir/wrk.txt")
    errors=$(awk '/Non-2xx/{print $5}' "$dir/wrk.txt"); errors="${errors:-0}"
    printf '%-9s %-30s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$backend" "$label" "$rps" "$p50" "$p99" "$errors"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [ "$backend" = postgres ]; then psql "$admin_url" -qc "DROP DATABASE IF EXISTS forewarn_bench_$$ WITH (FORCE)" >/dev/null; fi
  rm -rf "$dir"
}

run_backend sqlite
run_backend postgres
