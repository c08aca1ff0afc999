#!/usr/bin/env bash
# run.sh - the emulator against the mock servers people would otherwise use and against
# nginx sending the same bytes from a file (the practical limit), as ratios from one run.
#
#   1. the seed request, 32 connections, keep-alive: ../shared/bench/peers.sh (every peer
#      that is installed, plus the emulator as "target"), median of --repeat runs;
#   2. the same at 256 connections, nginx and the emulator;
#   3. a 30-item page from the middle of a 1,000,000-item session, and a 30-item page of a
#      30-item session, against nginx serving a file of the same size (all three running,
#      measured in turn, median of --repeat rounds);
#   4. new TLS connections per second (Connection: close), emulator vs nginx;
#   5. memory and start-up: bench/scale.sh.
#
# Usage: bench/run.sh [--quick] [--skip-peers]
#   --quick: 5 s runs, 3 s warm-up, one repeat; --skip-peers: only steps 3 to 5
# Loopback only; every load run is bounded by wrk's duration and `timeout`.
# Needs wrk, nginx, jq, openssl, curl, python3 (apt-get install wrk nginx-light jq).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PEERS=${PEERS_SH:-$ROOT/../shared/bench/peers.sh}
LUA=$(dirname "$PEERS")/wrk/bearer.lua
DURATION=10 WARMUP=10 REPEAT=3 PEERS_TOO=1
for arg in "$@"; do
  case $arg in
    --quick) DURATION=5 WARMUP=3 REPEAT=1 ;;
    --skip-peers) PEERS_TOO=0 ;;
    *) echo "usage: bench/run.sh [--quick] [--skip-peers]"; exit 2 ;;
  esac
done
OUT=${BENCH_OUT:-/tmp/vb365-bench.jsonl}
WORK=$(mktemp -d /tmp/vb365-bench.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in wrk nginx jq openssl curl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install wrk nginx-light jq)"; exit 1; }
done
cargo build --release --quiet
BIN=$ROOT/target/release/vb365-mock
SEED=/v3/JobSessions/be376069-2865-4156-a9bc-825cef7d687e/LogItems
TARGET="$BIN --listen 127.0.0.1:4443 --static-token bench-token --log error"
# The harness's fixture holds five items; ?limit=5 asks the emulator for the same number.
TARGET_URL="https://127.0.0.1:4443$SEED?limit=5"

if [ "$PEERS_TOO" = 1 ]; then
  echo "== 1. seed request, 32 connections"
  "$PEERS" --duration "$DURATION" --warmup "$WARMUP" --repeat "$REPEAT" --out "$OUT" \
    --target "$TARGET" --target-url "$TARGET_URL"
  echo "== 2. seed request, 256 connections"
  "$PEERS" --only 'nginx*,target' --connections 256 --duration "$DURATION" --warmup "$WARMUP" \
    --repeat "$REPEAT" --out "$OUT" --target "$TARGET" --target-url "$TARGET_URL"
fi

# --- 3 and 4: our own measurements against a static nginx ---------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
chmod 755 "$WORK"; chmod 644 "$WORK"/*.pem

wait_for() {  # URL
  for _ in $(seq 1 300); do
    curl -skf -o /dev/null -H "Authorization: Bearer bench-token" "$1" && return 0
    sleep 0.05
  done
  echo "run.sh: $1 did not answer"; exit 1
}

warm() {  # URL [extra wrk args...]: an unmeasured run
  local url=$1; shift
  timeout $((WARMUP + 15)) wrk -t1 -c32 -d"${WARMUP}s" -s "$LUA" "$@" "$url" >/dev/null 2>&1 || true
}

cpu_ticks() {  # PID -> user + system clock ticks of it and its children (nginx's workers)
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

measure() {  # URL [extra wrk args...]; prints "req/s p99_ms"; with SERVER_PID set, a third
             # column: the server's CPU time per request in microseconds
  local url=$1; shift
  local before=0 result
  [ -n "${SERVER_PID:-}" ] && before=$(cpu_ticks "$SERVER_PID")
  result=$(timeout $((DURATION + 15)) wrk -t1 -c32 -d"${DURATION}s" --timeout 5s -s "$LUA" "$@" "$url" 2>/dev/null \
    | awk '/BENCH_RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                          printf "%.0f %.2f %d\n", v["requests"] / (v["duration_us"] / 1e6), v["p99_us"] / 1000, v["requests"] }')
  if [ -n "${SERVER_PID:-}" ]; then
    local ticks=$(($(cpu_ticks "$SERVER_PID") - before))
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" '{ printf "%s %s %.1f\n", $1, $2, 1e6 * t / hz / $3 }' <<<"$result"
  else
    awk '{ print $1, $2 }' <<<"$result"
  fi
}

wrk_rps() {  # URL [extra wrk args...]; warm-up, then one measured run
  warm "$@"
  measure "$@"
}

median() {  # COLUMN: measure's lines on stdin -> the line whose COLUMN is the median
  sort -n -k"$1,$1" | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
}

start_nginx() {  # FILE -> serves it at /page on 18491
  cp "$1" "$WORK/page.json"; chmod 644 "$WORK/page.json"
  sed -e "s|@DIR@|$WORK|g" -e "s|@PORT@|18491|g" bench/nginx-static.conf.template >"$WORK/nginx.conf"
  nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log" &
  NGINX_PID=$!; PIDS+=("$NGINX_PID")
  wait_for https://127.0.0.1:18491/page
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

echo "== 3. a 30-item page in the middle of a 1,000,000-item session"
"$BIN" world generate --organizations 1 --jobs-per-org 1 --days 1 --big-session-items 1000000 >"$WORK/big.json"
# The same generator with 25 objects writes a session of exactly 30 items shaped like the
# big one's, so the two pages are the same size and differ only in where they sit.
"$BIN" world generate --organizations 1 --jobs-per-org 1 --days 1 --big-session-items 25 >"$WORK/thirty.json"
"$BIN" --listen 127.0.0.1:18492 --static-token bench-token --log warn --world "$WORK/big.json" &
BIG_PID=$!; PIDS+=("$BIG_PID")
"$BIN" --listen 127.0.0.1:18493 --static-token bench-token --log warn --world "$WORK/thirty.json" &
SMALL_PID=$!; PIDS+=("$SMALL_PID")
largest_session() {  # PORT -> the id of the session with the most objects
  wait_for "https://127.0.0.1:$1/v3/Proxies"
  curl -sk -H "Authorization: Bearer bench-token" "https://127.0.0.1:$1/v3/JobSessions?limit=100" \
    | python3 -c 'import json,sys; print(max(json.load(sys.stdin), key=lambda s: s["statistics"]["processedObjects"])["id"])'
}
BIG=$(largest_session 18492)
SMALL=$(largest_session 18493)
MIDDLE_URL="https://127.0.0.1:18492/v3/JobSessions/$BIG/LogItems?offset=500000&limit=30"
SMALL_URL="https://127.0.0.1:18493/v3/JobSessions/$SMALL/LogItems?limit=30"
curl -sk -H "Authorization: Bearer bench-token" "$MIDDLE_URL" >"$WORK/middle.json"
curl -sk -H "Authorization: Bearer bench-token" "$SMALL_URL" >"$WORK/thirty-page.json"
echo "page bytes: middle of 1,000,000 $(wc -c <"$WORK/middle.json"), 30-item session $(wc -c <"$WORK/thirty-page.json")"
start_nginx "$WORK/middle.json"
# The three servers run side by side and are measured in turn, --repeat rounds, the order
# turned round every round, medians reported: one run each moved by 10-15 % between runs,
# as much as the difference sought. The server's CPU time per request is the cost itself,
# where req/s also carries wrk's share of the two cores.
for url in "$MIDDLE_URL" "$SMALL_URL" https://127.0.0.1:18491/page; do warm "$url"; done
for round in $(seq 1 "$REPEAT"); do
  order="middle small"; [ $((round % 2)) = 0 ] && order="small middle"
  for which in $order; do
    if [ "$which" = middle ]; then
      SERVER_PID=$BIG_PID measure "$MIDDLE_URL" >>"$WORK/middle.runs"
    else
      SERVER_PID=$SMALL_PID measure "$SMALL_URL" >>"$WORK/small.runs"
    fi
  done
  SERVER_PID=$NGINX_PID measure https://127.0.0.1:18491/page >>"$WORK/nginx-page.runs"
done
read -r MIDDLE_RPS MIDDLE_P99 _ < <(median 1 <"$WORK/middle.runs")
read -r SMALL_RPS _ < <(median 1 <"$WORK/small.runs")
read -r NGINX_PAGE_RPS NGINX_PAGE_P99 _ < <(median 1 <"$WORK/nginx-page.runs")
read -r _ _ MIDDLE_CPU < <(median 3 <"$WORK/middle.runs")
read -r _ _ SMALL_CPU < <(median 3 <"$WORK/small.runs")
read -r _ _ NGINX_PAGE_CPU < <(median 3 <"$WORK/nginx-page.runs")
# The rendered-page cache would make the repeated request a lookup; a changing offset
# shows the cost of rendering: every request asks for another page of the middle.
cat >"$WORK/walk.lua" <<LUA
local token = "bench-token"
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/v3/JobSessions/$BIG/LogItems?offset=" .. (400000 + (n % 200000)) .. "&limit=30",
                    { ["Authorization"] = "Bearer " .. token })
end
$(sed -n '/^function done/,$p' "$LUA")
LUA
read -r WALK_RPS _ < <(wrk_rps "https://127.0.0.1:18492/" -s "$WORK/walk.lua")
stop "$BIG_PID"
stop "$SMALL_PID"

echo "== 4. new TLS connections per second (Connection: close)"
read -r NGINX_CONN_RPS _ < <(wrk_rps https://127.0.0.1:18491/page -H "Connection: close")
stop "$NGINX_PID"
$TARGET &
EMU_PID=$!; PIDS+=("$EMU_PID")
wait_for "$TARGET_URL"
IDLE_RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$EMU_PID/status")
read -r EMU_CONN_RPS _ < <(wrk_rps "$TARGET_URL" -H "Connection: close")
LOADED_RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$EMU_PID/status")
stop "$EMU_PID"

echo "== 5. memory and start-up"
bench/scale.sh 1000000 | tail -11

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
cat <<TABLE

== emulator vs nginx serving the same bytes from a file (this run)
what                                              emulator      nginx   ratio
30-item page, middle of 1,000,000 items, req/s  $(printf '%10s %10s' "$MIDDLE_RPS" "$NGINX_PAGE_RPS")   $(ratio "$MIDDLE_RPS" "$NGINX_PAGE_RPS")
  same, a different page every request, req/s   $(printf '%10s %10s' "$WALK_RPS" "$NGINX_PAGE_RPS")   $(ratio "$WALK_RPS" "$NGINX_PAGE_RPS")
  30-item page of a 30-item session, req/s       $(printf '%10s %10s' "$SMALL_RPS" "-")   middle/small $(ratio "$MIDDLE_RPS" "$SMALL_RPS")
  server CPU per request, middle page, us        $(printf '%10s %10s' "$MIDDLE_CPU" "$NGINX_PAGE_CPU")   $(ratio "$MIDDLE_CPU" "$NGINX_PAGE_CPU")
  server CPU per request, 30-item session, us    $(printf '%10s %10s' "$SMALL_CPU" "-")   middle/small $(ratio "$MIDDLE_CPU" "$SMALL_CPU")
  p99 ms (middle page)                           $(printf '%10s %10s' "$MIDDLE_P99" "$NGINX_PAGE_P99")
new TLS connections per second                   $(printf '%10s %10s' "$EMU_CONN_RPS" "$NGINX_CONN_RPS")   $(ratio "$EMU_CONN_RPS" "$NGINX_CONN_RPS")
resident memory, default world, idle             $(printf '%7s MB' "$((IDLE_RSS / 1024))")
  after the new-connections run                  $(printf '%7s MB' "$((LOADED_RSS / 1024))")
(seed request ratios: the peers.sh tables above; JSON lines in $OUT)
TABLE
