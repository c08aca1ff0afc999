#!/usr/bin/env bash
# soak.sh - resident memory under a few minutes of mixed load, and after abuse of the
# request journal and the response cache.
#
#   1. the default world on a moving clock, with the journal on (its default 1000 entries);
#   2. mixed load: 8 connections cycling over 16 routes of every version, with a different
#      page of the session list and of the seed log each time and a login every 97
#      requests, beside 20 slow clients (each sends its request a byte a second until the
#      header timeout closes it, then starts again); first a 90 s warm-up, in which the
#      bounded stores reach their bounds (10,000 live tokens, the journal's 1,000 entries,
#      every page the load asks for in the cache), then --minutes (default 3) with
#      resident memory sampled every 15 s;
#   3. abuse: 1,000 requests with a 60 KB query and five 4 KB headers (what the journal
#      keeps), 4,000 authorized GETs each with its own 60 KB query (what the cache keys),
#      then the journal cleared; resident memory after each step.
#
# It reports the samples and the two checks of the hold-under-abuse issue: memory under
# load stays within 10 % of the first sample after the warm-up, and after the abuse it is
# back within 10 % of that sample. Loopback only, bounded in count and time.
#
#   bench/soak.sh [--minutes N] [BINARY]       # default: target/release/vb365-mock
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=3
BINARY=target/release/vb365-mock
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) MINUTES=$2; shift 2 ;;
    *) BINARY=$1; shift ;;
  esac
done
[ -x "$BINARY" ] || { echo "no binary at $BINARY; cargo build --release first" >&2; exit 1; }
for tool in wrk jq curl python3; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool is missing" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/vb365-soak.XXXXXX)
exec 3< <("$BINARY" --listen 127.0.0.1:0 --ready-json --static-token soak-token --log error 2>/dev/null)
read -r ready <&3
pid=$(jq -r .pid <<<"$ready")
base=$(jq -r .url <<<"$ready")
port=${base##*:}
trap 'kill "$pid" 2>/dev/null; rm -rf "$WORK"' EXIT
rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }
until curl -skf -o /dev/null -H 'Authorization: Bearer soak-token' "$base/v8/Jobs"; do sleep 0.1; done

SESSION=be376069-2865-4156-a9bc-825cef7d687e
cat >"$WORK/mixed.lua" <<LUA
local paths = {
  "/v3/JobSessions/$SESSION/LogItems?offset=%d&limit=30",
  "/v8/JobSessions?offset=%d&limit=30",
  "/v6/JobSessions?offset=%d&limit=30",
  "/v3/Jobs", "/v4/Organizations", "/v5/Proxies", "/v6/BackupRepositories",
  "/v7/License", "/v8/Organizations?offset=%d&limit=5", "/v8/Proxies",
  "/v8/BackupRepositories", "/v7/RbacRoles", "/v8/CopyJobs", "/v6/RestoreSessions",
  "/v8/Jobs?offset=%d&limit=5", "/v7/JobSessions/$SESSION/LogItems?offset=%d&limit=10",
}
local n = 0
request = function()
  n = n + 1
  local path = string.format(paths[(n % #paths) + 1], n % 500)
  if n % 97 == 0 then
    return wrk.format("POST", "/v3/Token", { ["Content-Type"] = "application/x-www-form-urlencoded" },
                      "grant_type=password&username=admin&password=admin")
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer soak-token" })
end
LUA

WARMUP=90
seconds=$((MINUTES * 60))
python3 - "$port" $((WARMUP + seconds)) <<'PY' &
import socket, ssl, sys, threading, time
port, until = int(sys.argv[1]), time.time() + int(sys.argv[2])
context = ssl._create_unverified_context()
def slow_client():
    while time.time() < until:
        try:
            with context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5)) as tls:
                for byte in b"GET /v8/Jobs HTTP/1.1\r\nHost: localhost\r\n":
                    if time.time() >= until:
                        return
                    tls.sendall(bytes([byte]))
                    time.sleep(1)
        except OSError:
            time.sleep(1)
threads = [threading.Thread(target=slow_client, daemon=True) for _ in range(20)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
PY
slow_pid=$!

echo "== mixed load with 20 slow clients: ${WARMUP} s warm-up, then $MINUTES minutes"
timeout $((WARMUP + seconds + 30)) wrk -t1 -c8 -d"$((WARMUP + seconds))s" --timeout 5s -s "$WORK/mixed.lua" "$base/" >"$WORK/wrk.txt" 2>&1 &
wrk_pid=$!
sleep "$WARMUP"
first=$(rss_mb)
samples=("$first")
printf '  after the warm-up: %s MB\n' "$first"
elapsed=0
while kill -0 "$wrk_pid" 2>/dev/null && [ "$elapsed" -lt "$seconds" ]; do
  sleep 15; elapsed=$((elapsed + 15))
  sample=$(rss_mb); samples+=("$sample")
  printf '  %d s later: %s MB\n' "$elapsed" "$sample"
done
wait "$wrk_pid" || true
wait "$slow_pid" || true
grep -E 'Requests/sec|Non-2xx|Socket errors' "$WORK/wrk.txt" | sed 's/^/  /'

echo "== abuse of the journal and the cache"
python3 - "$port" <<'PY'
import http.client, ssl, sys
port = int(sys.argv[1])
context = ssl._create_unverified_context()
def connection():
    return http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
long_query = "x=" + "a" * 60_000
big_headers = {f"X-Filler-{i}": "b" * 4_000 for i in range(5)}
c = connection()
for i in range(1000):
    c.request("GET", f"/v8/Jobs?{long_query}&n={i}", headers=big_headers)
    c.getresponse().read()
for i in range(4000):
    c.request("GET", f"/v8/Proxies?{long_query}&n={i}", headers={"Authorization": "Bearer soak-token"})
    c.getresponse().read()
PY
abused=$(rss_mb)
printf '  after 5,000 abusive requests: %s MB\n' "$abused"
curl -skf -X DELETE -o /dev/null "$base/__admin/requests"
sleep 5
cleared=$(rss_mb)
printf '  journal cleared, 5 s later: %s MB\n' "$cleared"

python3 - "$first" "$cleared" "${samples[@]}" <<'PY'
import sys
first, cleared, *samples = map(float, sys.argv[1:])
spread = max(abs(s - first) for s in samples) / first
print(f"== under load: {min(samples):.1f}-{max(samples):.1f} MB, at most {spread:.1%} from the sample after the warm-up "
      f"({'within' if spread <= 0.10 else 'NOT within'} 10 %)")
last = samples[-1]
for name, baseline in (("the last sample under load", last), ("the sample after the warm-up", first)):
    back = (cleared - baseline) / baseline
    print(f"== after the abuse and clearing the journal: {cleared:.1f} MB, {back:+.1%} from {name} "
          f"({'within' if abs(back) <= 0.10 else 'NOT within'} 10 %)")
PY
