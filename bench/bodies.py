#!/usr/bin/env python3
"""Record what a vb365-mock binary answers over every route and version, to compare two builds.

    bench/bodies.py BINARY OUT.jsonl [--seed N]

Starts BINARY on a free loopback port with a frozen clock and a static token, then walks
every version from its top-level collections: each `_links` href it meets (and each page
link) is requested once, plus a fixed list of filtered, malformed and unknown-id requests.
Every answer is written as one JSON line {request, status, content_type, body}, in a fixed
order, so `diff before.jsonl after.jsonl` shows any byte that changed (links are built on
the fixed host `bench.local:4443`, not the port). Loopback only.
"""

import json
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque

VERSIONS = ["v3", "v4", "v5", "v6", "v7", "v8"]
ROOTS = [
    "/Organizations",
    "/Jobs",
    "/JobSessions",
    "/BackupRepositories",
    "/Proxies",
    "/Proxies?extendedView=true",
    "/RestoreSessions",
    "/LicensedUsers",
    "/License",
    "/ServiceInstance",
    "/objectstoragerepositories",
    "/objectstoragerepositories?longTerm=true",
    "/RbacRoles",
    "/RestorePortalSettings",
    "/JobSessions?limit=3&offset=2",
    "/JobSessions?status=Failed",
    "/JobSessions?endTimeLowerBound=2017-04-01T00:00:00Z",
    "/LicensedUsers?limit=2&name=*a*",
    "/JobSessions/be376069-2865-4156-a9bc-825cef7d687e/LogItems?limit=2&offset=1",
    "/JobSessions/be376069-2865-4156-a9bc-825cef7d687e/LogItems?orderAsc=false&type=Success",
    "/JobSessions/not-a-guid",
    "/JobSessions/00000000-0000-0000-0000-000000000001",
    "/JobSessions?limit=-1",
    "/JobSessions?offset=abc",
    "/Jobs/00000000-0000-0000-0000-000000000001",
    "/Organizations/xyz/Users",
    "/NoSuchThing",
]
# Children that no link names but clients ask for, by collection: appended to each id.
CHILDREN = {
    "/Organizations/": [
        "/Users?limit=3", "/Users?locationFilter=Cloud", "/Groups", "/Sites",
        "/Sites?includePersonalSites=true", "/Teams", "/LicensingInformation", "/RbacRoles",
        "/Users/nope", "/Teams/not-a-guid",
    ],
    "/RbacRoles/": ["/operators", "/selectedItems", "/excludedItems"],
}
MAX_REQUESTS_PER_VERSION = 1500


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    binary, out = sys.argv[1], sys.argv[2]
    extra = sys.argv[3:]
    port = free_port()
    server = subprocess.Popen(
        [binary, "--listen", f"127.0.0.1:{port}", "--static-token", "t",
         "--clock", "frozen:2017-04-04T09:00:00Z", "--log", "error", *extra],
        stdout=subprocess.DEVNULL,
    )
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    base = f"https://127.0.0.1:{port}"

    def fetch(path):
        request = urllib.request.Request(base + path, headers={"Authorization": "Bearer t", "Host": "bench.local:4443"})
        try:
            with urllib.request.urlopen(request, context=context, timeout=10) as answer:
                return answer.status, answer.headers.get("Content-Type"), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type"), error.read()

    try:
        for _ in range(100):
            try:
                fetch("/v3/ServiceInstance")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        with open(out, "w") as sink:
            for version in VERSIONS:
                crawl(version, fetch, sink)
    finally:
        server.terminate()
        server.wait()


def crawl(version, fetch, sink):
    queue = deque(f"/{version}{root}" for root in ROOTS)
    seen = set(queue)
    done = 0
    while queue and done < MAX_REQUESTS_PER_VERSION:
        path = queue.popleft()
        status, content_type, body = fetch(path)
        done += 1
        text = body.decode("utf-8", "replace")
        sink.write(json.dumps({"request": path, "status": status,
                               "content_type": content_type, "body": text}) + "\n")
        try:
            value = json.loads(text) if text else None
        except ValueError:
            continue
        for href in hrefs(value):
            href = re.sub(r"^https://[^/]+", "", href)
            if href not in seen:
                seen.add(href)
                queue.append(href)
        for collection, children in CHILDREN.items():
            prefix = f"/{version}{collection}"
            if path.startswith(prefix) and path.count("/") == 3 and "?" not in path:
                for child in children:
                    target = path + child
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)


def hrefs(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "href" and isinstance(item, str):
                yield item
            else:
                yield from hrefs(item)
    elif isinstance(value, list):
        for item in value:
            yield from hrefs(item)


if __name__ == "__main__":
    main()
