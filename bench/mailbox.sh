#!/usr/bin/env bash
# mailbox.sh - browsing a very large backed-up mailbox: a 30-item page from the middle of
# a folder of about 1,000,000 items against the first 30-item page of a usual mailbox's
# folder, both in one restore session, and resident memory before and after the walk.
#
# Backed-up mail is computed, not stored: one user of the default world gets a
# `mailboxScale` that puts about a million items in their Inbox (found by asking for
# single items, not by reading the code), an Exchange restore session is opened on the
# organization, and wrk asks (one thread, 32 connections) for pages around the middle of
# that Inbox, then for pages of another user's Inbox at offsets 0 to 29; every request
# carries a counter the API ignores (`walk=N`), so none is answered from the response cache. Loopback only; every run is
# bounded by wrk's duration and `timeout`.
#
#   bench/mailbox.sh [--duration S] [BINARY]     # default: 10 s, target/release/vb365-mock
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
BINARY=target/release/vb365-mock
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    *) BINARY=$1; shift ;;
  esac
done
[ -x "$BINARY" ] || { echo "no binary at $BINARY; cargo build --release first" >&2; exit 1; }
for tool in wrk jq curl python3; do
  command -v "$tool" >/dev/null || { echo "mailbox.sh: $tool is missing" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/vb365-mailbox.XXXXXX)
exec 3< <("$BINARY" --listen 127.0.0.1:0 --ready-json --clock frozen --static-token bench-token --log error 2>/dev/null)
read -r ready <&3
pid=$(jq -r .pid <<<"$ready")
base=$(jq -r .url <<<"$ready")
trap 'kill "$pid" 2>/dev/null; rm -rf "$WORK"' EXIT
rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }
api() { curl -skf -H 'Authorization: Bearer bench-token' "$@"; }
until api -o /dev/null "$base/v8/Jobs"; do sleep 0.1; done

organization=$(api "$base/v8/Organizations" | jq -r '.results[0].id')
explore() {
  api -H 'Content-Type: application/json' -d '{"type": "Vex"}' \
    "$base/v8/Organizations/$organization/explore" | jq -r .id
}
session=$(explore)
read -r big small < <(api "$base/v8/RestoreSessions/$session/organization/mailboxes?limit=2" \
  | jq -r '[.results[].id] | join(" ")')
inbox() { echo "${1//-/}-00"; }
items() {  # SESSION MAILBOX OFFSET -> how many items a one-item page at OFFSET holds
  api "$base/v8/RestoreSessions/$1/organization/mailboxes/$2/items?parentId=$(inbox "$2")&offset=$3&limit=1" \
    | jq '.results | length'
}
count() {  # SESSION MAILBOX -> the number of items in the mailbox's Inbox
  local low=0 high=1
  while [ "$(items "$1" "$2" "$high")" = 1 ]; do low=$high; high=$((high * 2)); done
  while [ $((high - low)) -gt 1 ]; do
    local middle=$(((low + high) / 2))
    if [ "$(items "$1" "$2" "$middle")" = 1 ]; then low=$middle; else high=$middle; fi
  done
  echo $((low + 1))
}
usual=$(count "$session" "$big")
scale=$(((1000000 + usual - 1) / usual))
api "$base/__admin/world" >"$WORK/world.json"
jq --arg id "$big" --argjson scale "$scale" \
  '(.organizationUsers[] | select(.id == $id) | .mailboxScale) = $scale' "$WORK/world.json" >"$WORK/scaled.json"
curl -skf -o /dev/null -X PUT -H 'Content-Type: application/json' --data-binary @"$WORK/scaled.json" "$base/__admin/world"
session=$(explore)
total=$(count "$session" "$big")
small_total=$(count "$session" "$small")
echo "Inbox items: $total (mailboxScale $scale; $usual at scale 1); the usual Inbox: $small_total"
before=$(rss_mb)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
measure() {  # NAME LUA -> req/s, p99 and the server's CPU time per request
  local ticks
  ticks=$(cpu_ticks)
  timeout $((DURATION + 15)) wrk -t1 -c32 -d"${DURATION}s" --timeout 5s -s "$2" "$base/" >"$WORK/$1.txt" 2>&1
  awk -v name="$1" -v t="$(($(cpu_ticks) - ticks))" -v hz="$(getconf CLK_TCK)" '
    /BENCH_RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%-44s %8.0f req/s  p99 %5.2f ms  %6.1f us CPU a request\n", name,
        v["requests"] / (v["duration_us"] / 1e6), v["p99_us"] / 1000, 1e6 * t / hz / v["requests"] }' "$WORK/$1.txt"
}
walk() {  # MAILBOX FIRST_OFFSET SPREAD -> a wrk script asking for a new 30-item page each time
  cat <<LUA
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/v8/RestoreSessions/$session/organization/mailboxes/$1/items?parentId=$(inbox "$1")&offset=" .. ($2 + (n % $3)) .. "&limit=30&walk=" .. n,
                    { ["Authorization"] = "Bearer bench-token" })
end
$(sed -n '/^function done/,$p' "$(dirname "$(realpath "$0")")/../../shared/bench/wrk/bearer.lua")
LUA
}
walk "$big" $((total / 2 - 50000)) 100000 >"$WORK/middle.lua"
walk "$small" 0 30 >"$WORK/small.lua"
timeout 20 wrk -t1 -c32 -d3s -s "$WORK/middle.lua" "$base/" >/dev/null 2>&1 || true
measure "page from the middle of $total items" "$WORK/middle.lua"
measure "page 0-29 of an Inbox of $small_total items" "$WORK/small.lua"
echo "resident memory: $before MB before the walks, $(rss_mb) MB after"
