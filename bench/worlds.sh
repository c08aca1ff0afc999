#!/usr/bin/env bash
# Resident memory of one emulator process serving 1, 16 and 64 isolated worlds of the
# default size (made from the start-up world through POST /__admin/worlds), each world
# used once (a login and the seed request) so that it holds what a test leaves in it.
#
#   bench/worlds.sh [BINARY]      # default: target/release/vb365-mock
set -euo pipefail
cd "$(dirname "$0")/.."

BINARY=${1:-target/release/vb365-mock}
SEED_SESSION=be376069-2865-4156-a9bc-825cef7d687e
[ -x "$BINARY" ] || { echo "no binary at $BINARY; cargo build --release first" >&2; exit 1; }

exec 3< <("$BINARY" --listen 127.0.0.1:0 --ready-json --clock frozen 2>/dev/null)
read -r ready <&3
pid=$(jq -r .pid <<<"$ready")
base=$(jq -r .url <<<"$ready")
trap 'kill "$pid"' EXIT

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
use() {
  local token
  token=$(curl -sfk "$1/v3/Token" -d 'grant_type=password&username=admin&password=admin' | jq -r .access_token)
  curl -sfk -o /dev/null -H "Authorization: Bearer $token" "$1/v3/JobSessions/$SEED_SESSION/LogItems"
}

use "$base"
printf 'worlds  resident memory\n'
printf '%6d  %6.1f MB\n' 0 "$(echo "$(rss_kb) / 1024" | bc -l)"
made=0
for target in 1 16 64; do
  while [ "$made" -lt "$target" ]; do
    made=$((made + 1))
    url=$(curl -sfk "$base/__admin/worlds" -H 'Content-Type: application/json' \
      -d "{\"name\": \"w$made\"}" | jq -r .url)
    use "$url"
  done
  sleep 1
  printf '%6d  %6.1f MB\n' "$made" "$(echo "$(rss_kb) / 1024" | bc -l)"
done
