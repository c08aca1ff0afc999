#!/usr/bin/env bash
# Builds the container image with podman and tests it end to end: the static binary, the
# image (its size, its user), the health check, a login and the seed request over TLS,
# the metrics, an isolated world. Skips, saying so, where podman is not installed.
#
#   bench/container.sh            # PORT=14443 by default; the container shares the host's network
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v podman >/dev/null 2>&1; then
  echo "bench/container.sh: podman is not installed; skipping the container test"
  exit 0
fi

TARGET=x86_64-unknown-linux-gnu
BINARY=target/$TARGET/release/vb365-mock
IMAGE=${IMAGE:-localhost/vb365-mock:test}
PORT=${PORT:-14443}
SEED_SESSION=be376069-2865-4156-a9bc-825cef7d687e

RUSTFLAGS='-C target-feature=+crt-static' cargo build --release --locked --target "$TARGET"
file "$BINARY" | grep -Eq 'statically linked|static-pie linked' || { echo "$BINARY is not statically linked" >&2; exit 1; }

podman build --format docker --tag "$IMAGE" .
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
user=$(podman image inspect "$IMAGE" --format '{{.Config.User}}')
[ "$user" = "65532:65532" ] || { echo "the image runs as '$user', not 65532:65532" >&2; exit 1; }

container=$(podman run --detach --rm --runtime runc --network=host \
  --ulimit nofile=20000:20000 --ulimit nproc=1000:1000 \
  --env VB365_MOCK_LISTEN="127.0.0.1:$PORT" --env VB365_MOCK_WORLD_PORTS="$((PORT + 1))-$((PORT + 4))" \
  "$IMAGE")
trap 'podman stop --time 5 "$container" >/dev/null' EXIT

# The image's own health check, run by hand: without systemd podman cannot time it (it
# says so on stderr at the start), but `podman healthcheck run` runs the image's command.
healthy=""
for _ in $(seq 50); do
  if podman healthcheck run "$container" >/dev/null 2>&1; then healthy=yes; break; fi
  sleep 0.1
done
[ -n "$healthy" ] || { echo "the container never became healthy" >&2; podman logs "$container" >&2; exit 1; }

base="https://127.0.0.1:$PORT"
token=$(curl -sfk "$base/v3/Token" -d 'grant_type=password&username=admin&password=admin' | jq -r .access_token)
curl -sfk -H "Authorization: Bearer $token" "$base/v3/JobSessions/$SEED_SESSION/LogItems" \
  | jq -e 'length > 0 and .[0].title != null' >/dev/null
curl -sfk "$base/__admin/metrics" | grep -q '^vb365_mock_tokens_issued_total{grant="password"} 1$'

world=$(curl -sfk "$base/__admin/worlds" -H 'Content-Type: application/json' -d '{"name": "container"}' | jq -r .url)
world_token=$(curl -sfk "$world/v3/Token" -d 'grant_type=password&username=admin&password=admin' | jq -r .access_token)
curl -sfk -o /dev/null -H "Authorization: Bearer $world_token" "$world/v3/Organizations"
status=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $world_token" "$base/v3/Organizations")
[ "$status" = 401 ] || { echo "a world's token worked on the main world ($status)" >&2; exit 1; }

echo "bench/container.sh: ok; image $IMAGE is $size bytes, its binary $(stat -c %s "$BINARY") bytes"
