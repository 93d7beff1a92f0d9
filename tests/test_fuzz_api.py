"""Random requests to the counter's HTTP API: each is a PDF or a problem+json answer with
the CLI's words (4xx), never a server error. CI runs FUZZ_INPUT_EXAMPLES (default 25);
`make fuzz` runs more."""

import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from leaflet.counter import Settings, create_app

EXAMPLES = int(os.environ.get("FUZZ_INPUT_EXAMPLES", "25"))
FUZZ = settings(max_examples=max(EXAMPLES // 5, 10), deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                suppress_health_check=list(HealthCheck))
pytestmark = pytest.mark.fuzz

NASTY = st.sampled_from(["", " ", "\x00", "\u202e", "\u200b", "es", "ar", "zz", "../etc", "bedtime", "0", "-1",
                         "1000", "2", "2026-11-20", "0001-01-01", "large", "bilingual", "letter", "a3",
                         "😀" * 30, "x" * 3000, "{count}", "<b>", "%s"])
VALUE = st.one_of(NASTY, st.text(max_size=30), st.integers(-5, 2000), st.none(), st.booleans(),
                  st.lists(st.text(max_size=3)))
FIELDS = st.dictionaries(st.sampled_from(["patient", "directions", "count", "date", "free_directions", "edition",
                                          "paper", "colour"]), VALUE, max_size=7)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from conftest import copy_project

    root = tmp_path_factory.mktemp("api")
    project = copy_project(root / "project")
    settings = Settings(data_dir=root / "data", rate_limit=0)  # the rate limit has its own test
    return TestClient(create_app(project, settings), base_url="http://127.0.0.1:8000")


def answered_well(response) -> None:
    assert response.status_code < 500, response.text[:300]
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF-")
    else:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"]
    event(f"status {response.status_code}")


@FUZZ
@given(lang=NASTY, fields=FIELDS)
def test_random_personalised_requests_are_printed_or_refused(client, lang, fields):
    answered_well(client.post(f"/leaflets/diazepam/{quote(lang, safe='')}.pdf", json=fields))


@FUZZ
@given(lang=NASTY, edition=NASTY, paper=NASTY)
def test_random_stock_requests_are_served_or_refused(client, lang, edition, paper):
    answered_well(client.get(f"/leaflets/diazepam/{quote(lang, safe='')}.pdf",
                             params={"edition": edition, "paper": paper}))
