"""Tests written against the fixtures of conftest.py, as a client's own tests would be."""

SEED_SESSION = "be376069-2865-4156-a9bc-825cef7d687e"


def test_the_seed_session_has_the_help_page_log(vb365):
    token = vb365.token()
    items = vb365.get(f"/v3/JobSessions/{SEED_SESSION}/LogItems", token).json()
    assert items[0]["title"].startswith("[Success]")


def test_a_session_marked_failed_shows_as_failed(vb365):
    session = vb365.admin("GET", "/world").json()["sessions"][0]
    session["status"] = "Failed"
    session.pop("logItems")
    assert vb365.admin("PUT", f"/sessions/{session['id']}", json=session).status_code == 200
    token = vb365.token()
    assert vb365.get(f"/v3/JobSessions/{session['id']}", token).json()["status"] == "Failed"


def test_an_organization_deleted_here_is_gone_here(vb365):
    token = vb365.token()
    first = vb365.get("/v3/Organizations", token).json()[0]
    assert vb365.admin("DELETE", f"/organizations/{first['id']}").status_code == 204
    names = [o["name"] for o in vb365.get("/v3/Organizations", token).json()]
    assert first["name"] not in names


def test_the_next_test_has_every_organization_again(vb365):
    token = vb365.token()
    assert len(vb365.get("/v3/Organizations", token).json()) == 4
