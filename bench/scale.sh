#!/usr/bin/env bash
# scale.sh - how the emulator holds a large world: load time, resident memory per log item,
# the peak while loading against what stays, `world check` on the same file, and what a
# page from the middle of a 1,000,000-item session costs next to a page of a small session.
# Loopback only; every step is bounded in time.
#
# Usage: bench/scale.sh [ITEMS]     (default 1000000)
#   SCALE_BIN=path measures that binary instead of building this checkout's.
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS=${1:-1000000}
PORT=${SCALE_PORT:-18455}
TOKEN=scale-token
WORK=$(mktemp -d /tmp/vb365-scale.XXXXXX)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

if [ -n "${SCALE_BIN:-}" ]; then
  BIN=$SCALE_BIN
else
  cargo build --release --quiet
  BIN=target/release/vb365-mock
fi
BASE=https://127.0.0.1:$PORT

start_server() {  # start_server WORLD_ARGS... ; sets SERVER_PID and START_S
  local started ended
  started=$(date +%s.%N)
  "$BIN" --listen "127.0.0.1:$PORT" --static-token "$TOKEN" --journal-size 0 --log warn "$@" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  # 12 s for a small world, and 12 s more per million log items.
  for _ in $(seq 1 $((600 + ITEMS * 600 / 1000000))); do
    if curl -sk -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/v3/Proxies"; then break; fi
    sleep 0.02
  done
  ended=$(date +%s.%N)
  START_S=$(echo "$ended - $started" | bc)
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
# CPU seconds the server has used (user + system): on a machine shared with other work the
# wall time of a start moves with the load, this does not.
cpu_s() { awk -v tick="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / tick}' "/proc/$SERVER_PID/stat"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status"; }

stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

# Median of curl's time_total over N keep-alive requests to one URL (one curl process).
median_ms() {
  local url=$1 n=${2:-300} args=()
  for _ in $(seq 1 "$n"); do args+=(-o /dev/null "$url"); done
  timeout 60 curl -sk -H "Authorization: Bearer $TOKEN" -w '%{time_total}\n' "${args[@]}" \
    | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]*1000}'
}

echo "generating a world with a ${ITEMS}-item session..."
"$BIN" world generate --organizations 1 --jobs-per-org 1 --days 1 --big-session-items "$ITEMS" >"$WORK/big.json"
"$BIN" world generate --organizations 1 --jobs-per-org 1 --days 1 >"$WORK/small.json"
FILE_MB=$(du -m "$WORK/big.json" | cut -f1)

# world check: wall time, CPU time and peak resident memory (GNU time), twice, the faster kept.
CHECK_S="" CHECK_CPU="" CHECK_PEAK_KB=""
for _ in 1 2; do
  timeout $((60 + ITEMS * 60 / 1000000)) /usr/bin/time -f '%e %M %U %S' -o "$WORK/check.time" "$BIN" world check "$WORK/big.json" >/dev/null
  read -r seconds peak user system <"$WORK/check.time"
  if [ -z "$CHECK_S" ] || [ "$(echo "$seconds < $CHECK_S" | bc)" = 1 ]; then
    CHECK_S=$seconds CHECK_PEAK_KB=$peak CHECK_CPU=$(echo "$user + $system" | bc)
  fi
done

LOAD_AVERAGE=$(cut -d' ' -f1-3 /proc/loadavg)
start_server --world "$WORK/small.json"
SMALL_START=$START_S
SMALL_CPU=$(cpu_s)
SMALL_RSS=$(rss_kb)
SMALL_SESSION=$(curl -sk -H "Authorization: Bearer $TOKEN" "$BASE/v3/JobSessions?limit=1&offset=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
SMALL_PAGE=$(median_ms "$BASE/v3/JobSessions/$SMALL_SESSION/LogItems?offset=2&limit=5")
stop_server

start_server --world "$WORK/big.json"
BIG_START=$START_S
BIG_CPU=$(cpu_s)
BIG_RSS=$(rss_kb)
BIG_HWM=$(hwm_kb)
BIG_SESSION=$(curl -sk -H "Authorization: Bearer $TOKEN" "$BASE/v3/JobSessions?limit=100" \
  | python3 -c 'import json,sys; print(max(json.load(sys.stdin), key=lambda s: s["statistics"]["processedObjects"])["id"])')
MIDDLE=$((ITEMS / 2))
BIG_PAGE=$(median_ms "$BASE/v3/JobSessions/$BIG_SESSION/LogItems?offset=$MIDDLE&limit=5")
SMALL_PAGE_IN_BIG=$(median_ms "$BASE/v3/JobSessions/$BIG_SESSION/LogItems?offset=2&limit=5")
stop_server

PER_ITEM=$(echo "($BIG_RSS - $SMALL_RSS) * 1024 / $ITEMS" | bc)
cat <<TABLE

load average when the run began: $LOAD_AVERAGE (2 cores shared with other work: wall times move with it)
world                         start_s   cpu_s  rss_MB  peak_MB  peak/rss
small (1 org, 2 sessions)     $(printf '%7.3f %7.2f %7.1f %8s %9s' "$SMALL_START" "$SMALL_CPU" "$(echo "$SMALL_RSS/1024" | bc -l)" "-" "-")
${ITEMS}-item session ($FILE_MB MB file)  $(printf '%7.3f %7.2f %7.1f %8.1f %9.2f' "$BIG_START" "$BIG_CPU" "$(echo "$BIG_RSS/1024" | bc -l)" "$(echo "$BIG_HWM/1024" | bc -l)" "$(echo "$BIG_HWM/$BIG_RSS" | bc -l)")
world check of that file      $(printf '%7.3f %7.2f %7s %8.1f' "$CHECK_S" "$CHECK_CPU" "-" "$(echo "$CHECK_PEAK_KB/1024" | bc -l)")

resident memory per stored log item: $PER_ITEM bytes
5-item page, median of 300 keep-alive requests (curl time_total, ms):
  small session                        $SMALL_PAGE
  middle of the ${ITEMS}-item session  $BIG_PAGE
  start of the ${ITEMS}-item session   $SMALL_PAGE_IN_BIG
TABLE
