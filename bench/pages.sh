#!/usr/bin/env bash
# pages.sh - pages that are not in the cache: a client walking a large session's log, each
# request a page never asked for before, against nginx sending a file of the same size.
#
#   bench/pages.sh [BINARY] [--duration S] [--items N] [--rounds R]
#
# For each of v3, v6 and v8: the emulator serves a world with one N-item session
# (default 200,000); wrk (one thread, 32 connections) asks for 30-item pages at a new
# offset every request; nginx serves that version's page as a static file. The two are
# measured in turn, R rounds (default 3), medians, with each server's CPU time per
# request. Loopback only; every run is bounded by wrk's duration and `timeout`.
# Needs wrk, nginx, openssl, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/vb365-mock DURATION=8 ITEMS=200000 ROUNDS=3
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --items) ITEMS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -*) echo "usage: bench/pages.sh [BINARY] [--duration S] [--items N] [--rounds R]"; exit 2 ;;
    *) BIN=$1; shift ;;
  esac
done
for tool in wrk nginx openssl curl python3; do
  command -v "$tool" >/dev/null || { echo "pages.sh: $tool is missing (apt-get install wrk nginx-light)"; exit 1; }
done
[ -x "$BIN" ] || cargo build --release --quiet
WORK=$(mktemp -d /tmp/vb365-pages.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
LUA=../shared/bench/wrk/bearer.lua
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
chmod 755 "$WORK"; chmod 644 "$WORK"/*.pem

wait_for() {  # URL: until it answers 2xx (a large world answers 503 while it loads)
  for _ in $(seq 1 600); do
    curl -skf -o /dev/null -H "Authorization: Bearer bench-token" "$1" && return 0
    sleep 0.05
  done
  echo "pages.sh: $1 did not answer"; exit 1
}
cpu_ticks() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
measure() {  # PID URL [wrk args] -> "req/s p99_ms cpu_us_per_request"
  local pid=$1 url=$2; shift 2
  local before result ticks
  before=$(cpu_ticks "$pid")
  result=$(timeout $((DURATION + 15)) wrk -t1 -c32 -d"${DURATION}s" --timeout 5s "$@" "$url" 2>/dev/null \
    | awk '/BENCH_RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                          printf "%.0f %.2f %d\n", v["requests"] / (v["duration_us"] / 1e6), v["p99_us"] / 1000, v["requests"] }')
  ticks=$(($(cpu_ticks "$pid") - before))
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" '{ printf "%s %s %.1f\n", $1, $2, 1e6 * t / hz / $3 }' <<<"$result"
}
median() { sort -n -k"$1,$1" | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'; }

"$BIN" world generate --organizations 1 --jobs-per-org 1 --days 1 --big-session-items "$ITEMS" >"$WORK/big.json"
"$BIN" --listen 127.0.0.1:18494 --static-token bench-token --log warn --clock frozen --world "$WORK/big.json" &
EMU_PID=$!; PIDS+=("$EMU_PID")
wait_for https://127.0.0.1:18494/v3/Proxies
BIG=$(curl -sk -H "Authorization: Bearer bench-token" "https://127.0.0.1:18494/v3/JobSessions?limit=100" \
  | python3 -c 'import json,sys; print(max(json.load(sys.stdin), key=lambda s: s["statistics"]["processedObjects"])["id"])')
HALF=$((ITEMS / 2))

printf '%-4s %10s %10s %7s %12s %12s %8s %8s\n' version emulator nginx ratio emu_us/req ngx_us/req emu_p99 ngx_p99
for version in v3 v6 v8; do
  PAGE="/$version/JobSessions/$BIG/LogItems?offset=$HALF&limit=30"
  curl -sk -H "Authorization: Bearer bench-token" "https://127.0.0.1:18494$PAGE" >"$WORK/page.json"
  chmod 644 "$WORK/page.json"
  sed -e "s|@DIR@|$WORK|g" -e "s|@PORT@|18495|g" bench/nginx-static.conf.template >"$WORK/nginx.conf"
  nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log" &
  NGINX_PID=$!; PIDS+=("$NGINX_PID")
  wait_for https://127.0.0.1:18495/page
  cat >"$WORK/walk.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/$version/JobSessions/$BIG/LogItems?offset=" .. ($HALF - 100000 + (n % 200000)) .. "&limit=30",
                    { ["Authorization"] = "Bearer bench-token" })
end
$(sed -n '/^function done/,$p' "$LUA")
LUA
  : >"$WORK/emu.runs"; : >"$WORK/ngx.runs"
  timeout 20 wrk -t1 -c32 -d3s -s "$WORK/walk.lua" https://127.0.0.1:18494/ >/dev/null 2>&1 || true
  timeout 20 wrk -t1 -c32 -d3s -s "$LUA" https://127.0.0.1:18495/page >/dev/null 2>&1 || true
  for _ in $(seq 1 "$ROUNDS"); do
    measure "$EMU_PID" https://127.0.0.1:18494/ -s "$WORK/walk.lua" >>"$WORK/emu.runs"
    measure "$NGINX_PID" https://127.0.0.1:18495/page -s "$LUA" >>"$WORK/ngx.runs"
  done
  read -r E_RPS E_P99 _ < <(median 1 <"$WORK/emu.runs")
  read -r N_RPS N_P99 _ < <(median 1 <"$WORK/ngx.runs")
  read -r _ _ E_CPU < <(median 3 <"$WORK/emu.runs")
  read -r _ _ N_CPU < <(median 3 <"$WORK/ngx.runs")
  kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true
  printf '%-4s %10s %10s %7s %12s %12s %8s %8s   (page %s bytes)\n' "$version" "$E_RPS" "$N_RPS" \
    "$(python3 -c "print(f'{$E_RPS / $N_RPS:.2f}')")" "$E_CPU" "$N_CPU" "$E_P99" "$N_P99" "$(wc -c <"$WORK/page.json")"
done
