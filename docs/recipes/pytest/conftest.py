"""pytest fixtures for vb365-mock.

One emulator per test session, on a free port, found through its ready line; one isolated
world per test, so that tests (and pytest-xdist workers) never see each other's changes.
Set VB365_MOCK to the binary's path if it is not on PATH.
"""

import json
import os
import subprocess
import uuid

import pytest
import requests

VB365_MOCK = os.environ.get("VB365_MOCK", "vb365-mock")


@pytest.fixture(scope="session")
def vb365_server(tmp_path_factory):
    """The emulator: its ready line (url, port, ...) and the file of its certificate."""
    certificate = tmp_path_factory.mktemp("vb365") / "cert.pem"
    process = subprocess.Popen(
        [
            VB365_MOCK,
            "--listen", "127.0.0.1:0",
            "--ready-json",
            "--write-cert", str(certificate),
            "--clock", "frozen",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    # The one line on stdout comes once the world has loaded and the port answers; logs
    # go to stderr. An empty line means the process ended (its reason is on stderr).
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"vb365-mock stopped with exit code {process.wait()}")
    ready = json.loads(line)
    yield {**ready, "certificate": str(certificate)}
    process.terminate()
    process.wait(timeout=10)


class World:
    """An isolated world: its base URL, and requests that trust the emulator's certificate.

    `verify` goes with every request rather than on a `requests.Session`: requests lets
    REQUESTS_CA_BUNDLE, when it is set, override a session's `verify`.
    """

    def __init__(self, url, certificate):
        self.url = url
        self.certificate = certificate

    def request(self, method, path, **kwargs):
        return requests.request(method, f"{self.url}{path}", verify=self.certificate, **kwargs)

    def token(self, username="admin", password="admin"):
        answer = self.request(
            "POST",
            "/v3/Token",
            data={"grant_type": "password", "username": username, "password": password},
        )
        answer.raise_for_status()
        return answer.json()["access_token"]

    def get(self, path, token):
        return self.request("GET", path, headers={"Authorization": f"Bearer {token}"})

    def admin(self, method, path, **kwargs):
        return self.request(method, f"/__admin{path}", **kwargs)


@pytest.fixture
def vb365(vb365_server):
    """A world of this test's own, made from the start-up world and freed afterwards."""
    server = World(vb365_server["url"], vb365_server["certificate"])
    name = f"test-{uuid.uuid4().hex[:12]}"
    created = server.admin("POST", "/worlds", json={"name": name})
    created.raise_for_status()
    yield World(created.json()["url"], vb365_server["certificate"])
    server.admin("DELETE", f"/worlds/{name}")
