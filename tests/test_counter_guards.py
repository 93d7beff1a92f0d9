"""The counter's guards against what the red team tried (issue 27, part 8): in-process through
Starlette's TestClient, and against ``leaflet serve`` itself where uvicorn does the guarding."""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import logging
import os
import signal
import socket
import time
from pathlib import Path

import pytest
from conftest import pdf_bytes_text, run_cli
from starlette.testclient import TestClient
from test_counter import (
    PATIENT,
    answers,
    get,
    make_client,
    only_spanish,
    page_token,
    problem,
    start_server,
    wait_until,
)

from leaflet.builder.pool import RenderPool
from leaflet.counter import Settings, create_app
from leaflet.counter.guards import listed, served_names

PDF = "/leaflets/diazepam/es.pdf"


@pytest.fixture
def client(project, tmp_path) -> TestClient:
    return make_client(project, tmp_path)


# -- Host names (DNS rebinding) and origins -------------------------------------------------------

def test_a_host_name_the_counter_does_not_answer_to_is_refused(client_with_names):
    """A page on evil.example, whose name was made to point at 127.0.0.1, sends its own name."""
    client = client_with_names
    rebound = {"Host": "evil.example:8601", "Origin": "http://evil.example:8601"}
    body = problem(client.post(PDF, json={"patient": "Zeb"}, headers=rebound), 421)
    assert body["detail"] == ("this counter does not answer to the host name 'evil.example:8601' (if that is "
                              "its name, start it with --allowed-host NAME or LEAFLET_ALLOWED_HOSTS)")
    problem(client.get("/leaflets", headers={"Host": "evil.example"}), 421)
    problem(client.get("/", headers={"Host": "127.0.0.1.evil.example"}), 421)
    for host in ("127.0.0.1:8000", "localhost:1234", "LOCALHOST", "[::1]:8000", "counter.pharmacy.example:443"):
        assert client.get("/static/counter.css", headers={"Host": host}).status_code == 200, host
    assert client.get("/healthz", headers={"Host": "10.0.0.5:8000"}).status_code == 200  # a load balancer's


@pytest.fixture
def client_with_names(project, tmp_path) -> TestClient:
    return make_client(project, tmp_path, allowed_hosts=("counter.pharmacy.example",))


SENTENCE = {"lang": "es", "directions": "bedtime"}


def test_the_origin_check_compares_scheme_host_and_port(client):
    form = {"leaflet": "diazepam", "lang": "es", "patient": "Ana", "csrf": page_token(client)}
    for origin in ("https://127.0.0.1:8000", "http://127.0.0.1:8001", "http://localhost:8000"):
        problem(client.post(PDF, json={"patient": "Ana"}, headers={"Origin": origin}), 403)
        problem(client.post("/sentence", json=SENTENCE, headers={"Origin": origin}), 403)
        assert client.post("/print", data=form, headers={"Origin": origin}).status_code == 403, origin
    assert client.post("/sentence", json=SENTENCE, headers={"Origin": "http://127.0.0.1:8000"}).status_code == 200


def test_an_https_page_reaching_the_counter_over_http_is_told_about_trusted_proxies(project, tmp_path):
    client = TestClient(create_app(project, Settings(data_dir=tmp_path / "data", allowed_hosts=("counter.example",))),
                        base_url="http://counter.example")
    refused = problem(client.post(PDF, json={"patient": "Ana"}, headers={"Origin": "https://counter.example"}), 403)
    assert "--trusted-proxy" in refused["detail"]
    same = client.post("/sentence", json=SENTENCE, headers={"Origin": "http://counter.example:80"})
    assert same.status_code == 200  # the default port is the same origin


# -- the rate limit before the password -----------------------------------------------------------

def test_wrong_passwords_hit_the_rate_limit_before_the_password_is_checked(project, tmp_path):
    client = make_client(project, tmp_path, password="s3cret", rate_limit=5)
    for _ in range(5):
        problem(client.get("/leaflets", auth=("counter", "guess")), 401)
    refused = client.get("/leaflets", auth=("counter", "guess"))
    assert problem(refused, 429)["detail"].startswith("more than 5 wrong passwords a minute from this client")
    assert int(refused.headers["retry-after"]) > 0
    problem(client.get("/leaflets", auth=("counter", "s3cret")), 429)  # even the right one is not tried now
    assert client.get("/healthz").status_code == 200


def test_the_right_password_costs_nothing_but_leaflets(project, tmp_path):
    client = make_client(project, tmp_path, password="s3cret", rate_limit=2)
    for _ in range(5):
        assert client.get("/static/counter.css", auth=("counter", "s3cret")).status_code == 200


# -- the access log ---------------------------------------------------------------------------

def test_the_access_log_escapes_what_it_writes(client, caplog):
    caplog.set_level(logging.INFO, logger="leaflet.access")
    forged = "/z%0aINFO:%20127.0.0.1%20POST%20/print%20200%0d%00%1b[31m%E2%80%A8%5C"
    problem(client.get(forged), 404)
    lines = [record.getMessage() for record in caplog.records if record.name == "leaflet.access"]
    assert len(lines) == 1 and not any(c in lines[0] for c in "\n\r\x00\x1b\u2028")
    assert lines[0].startswith(r"testclient GET /z\nINFO: 127.0.0.1 POST /print 200\r\x00\x1b[31m\u2028\\ 404 ")


# -- what is a print ------------------------------------------------------------------------------

def test_head_and_a_304_are_not_prints(client, project, tmp_path, capsys):
    def prints() -> str:
        code, out, _ = run_cli(capsys, "--project", project.root, "history", "--data", tmp_path / "data")
        return out.splitlines()[-1]

    head = client.head(PDF)
    assert head.status_code == 200 and head.headers["content-type"] == "application/pdf"
    assert prints() == "0 print(s)"
    etag = client.get(PDF).headers["etag"]
    assert prints() == "1 print(s)"
    assert client.get(PDF, headers={"If-None-Match": etag}).status_code == 304
    assert client.head(PDF, headers={"If-None-Match": etag}).status_code == 304
    assert prints() == "1 print(s)"


# -- malformed bodies ----------------------------------------------------------------------------------

PART = b'--XyZ\r\nContent-Disposition: form-data; name="patient"\r\n\r\nZeb'
MULTIPART = "multipart/form-data; boundary=XyZ"


@pytest.mark.parametrize("content_type, body, detail", [
    ("application/json", b'{"patient": "Zeb", "x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
     "the body is not valid JSON"),
    ("application/json", b'{"patient": "Zeb"', "the body is not valid JSON"),
    ("multipart/form-data", PART + b"\r\n--XyZ--\r\n", "the multipart body has no boundary"),
    (MULTIPART, PART, "the multipart body is cut short (it has no closing boundary)"),
    (MULTIPART, PART + b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"direc", "the multipart body is cut short"),
    (MULTIPART, PART.replace(b'"patient"', b'"patient"; filename="name.txt"') + b"\r\n--XyZ--\r\n",
     "the field 'patient' is a file"),
    (MULTIPART, b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nZeb\r\n--XyZ--\r\n",
     "the multipart body is not valid multipart/form-data"),
    ("text/plain", b"patient=Zeb", "cannot read a body of type 'text/plain'"),
], ids=["json-10000-deep", "json-cut-short", "multipart-no-boundary", "multipart-unterminated",
        "multipart-cut-in-a-header", "multipart-file", "multipart-nameless", "wrong-type"])
def test_a_malformed_body_is_a_4xx_problem_never_a_500_or_a_leaflet_without_the_name(client, content_type, body,
                                                                                     detail):
    refused = client.post(PDF, content=body, headers={"Content-Type": content_type})
    assert problem(refused, 422)["detail"].startswith(detail)
    page = client.post("/print", content=body, headers={"Content-Type": content_type})
    assert page.status_code in (403, 422) and page.headers["content-type"].startswith("text/html")


def test_a_whole_multipart_form_still_prints_the_name(client):
    body = PART + b'\r\n--XyZ\r\nContent-Disposition: form-data; name="count"\r\n\r\n2\r\n--XyZ--\r\n'
    response = client.post(PDF, content=body, headers={"Content-Type": MULTIPART})
    assert response.status_code == 200 and "Preparado para: Zeb" in pdf_bytes_text(response.content)


# -- what a refusal says --------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["count", "date"])
def test_a_refused_count_or_date_does_not_repeat_what_was_typed(client, field):
    """A name pasted into the wrong field is personal data: not echoed, and not kept by a cache."""
    asked = [(PDF, {"patient": "Ana"})] + [("/sentence", SENTENCE)] * (field == "count")
    for path, fields in asked:
        refused = client.post(path, json={**fields, field: f"{PATIENT} 2026-03-07 and more text"})
        problem(refused, 422)
        assert "Zyxqa" not in refused.text and "2026" not in refused.text
        assert refused.headers["cache-control"] == "no-store"


def test_every_problem_is_kept_by_no_cache(client):
    assert client.get("/leaflets/diazepam/xx.pdf").headers["cache-control"] == "no-store"
    assert client.post("/sentence", json=SENTENCE).headers["cache-control"] == "no-store"


# -- /healthz -----------------------------------------------------------------------------------------

def test_the_health_check_needs_no_password_and_says_only_the_pools_state(project, tmp_path):
    client = make_client(project, tmp_path, password="s3cret")
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok", "workers": "idle"}
    assert client.head("/healthz").status_code == 200
    problem(client.post("/healthz"), 401)  # only GET and HEAD are open
    problem(client.get("/leaflets"), 401)


# -- the server: proxies, timeouts, a concurrency limit, shutdown ----------------------------------------

def sentence(port: int, headers: dict[str, str]) -> int:
    """POST /sentence: a request the rate limit counts, which needs no render."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/sentence", json.dumps({"lang": "es", "directions": "bedtime"}),
                           {"Content-Type": "application/json", **headers})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture
def serve(project, tmp_path):
    """``leaflet serve --workers 0`` with more options; stopped (and its log kept) at the end."""
    servers = []

    def started(*options: str) -> tuple[int, Path, int]:
        """The port, the log and the server's process id."""
        folder = tmp_path / f"server-{len(servers)}"
        folder.mkdir()
        server, port, log = start_server(project, folder, workers=0, options=options)
        servers.append(server)
        wait_until(lambda: answers(server, port, log), "the server")
        return port, log, server.pid

    yield started
    for server in servers:
        if server.poll() is None:
            server.kill()
        server.wait()


def logged(log, line: str, seconds: float = 10) -> None:
    """The server writes its access log after the answer: wait for the line to arrive."""
    deadline = time.monotonic() + seconds
    while line not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert line in log.read_text()


def test_forwarded_addresses_are_believed_only_from_a_trusted_proxy(serve, monkeypatch):
    port, log, _ = serve("--rate-limit", "2")
    assert [sentence(port, {}) for _ in range(2)] == [200, 200]
    forged = [sentence(port, {"X-Forwarded-For": f"203.0.113.{n}", "Forwarded": f"for=203.0.113.{n}"})
              for n in range(5)]
    assert forged == [429] * 5
    assert "203.0.113" not in log.read_text()
    monkeypatch.setenv("LEAFLET_TRUSTED_PROXIES", "127.0.0.1")
    port, log, _ = serve("--rate-limit", "2")
    assert [sentence(port, {"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(5)] == [200] * 5
    logged(log, "203.0.113.4 POST /sentence 200")


def test_the_server_answers_to_the_names_it_is_given(serve, monkeypatch):
    monkeypatch.setenv("LEAFLET_ALLOWED_HOSTS", "counter.example, till-2.example")
    port, _, _ = serve("--allowed-host", "counter.pharmacy.example")

    def status(host: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/leaflets", headers={"Host": host})
            return connection.getresponse().status
        finally:
            connection.close()

    for host in ("counter.example", "till-2.example:8000", "counter.pharmacy.example", f"localhost:{port}"):
        assert status(host) == 200, host
    assert status(f"evil.example:{port}") == 421


def test_names_and_proxies_from_options_and_the_environment():
    assert listed("a.example", None, "b.example,c.example  d.example") == ("a.example", "b.example", "c.example",
                                                                           "d.example")
    assert served_names("0.0.0.0", ("a.example",)) == ("a.example",)
    assert served_names("10.0.0.5", ("a.example", "10.0.0.5")) == ("10.0.0.5", "a.example")


def test_a_trusted_proxy_must_be_an_address_or_a_network(capsys, tmp_path):
    code, out, err = run_cli(capsys, "serve", "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "proxy.example",
                             "--data", tmp_path / "data")
    assert code == 2 and err == ("Error: --trusted-proxy proxy.example is not an address or a network "
                                 "(give the proxy's IP address, e.g. 127.0.0.1 or 10.0.0.0/8)\n")


def raw(port: int, data: bytes = b"") -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.sendall(data)
    return connection


def received(connection: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_slow_clients_are_cut_off_and_too_many_are_refused_with_a_problem(serve):
    port, _, _ = serve("--header-timeout", "1", "--body-timeout", "1", "--concurrency", "3")
    idle = [raw(port), raw(port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")]  # slow headers
    status, body = get(port, "/healthz")  # the third connection: not over the limit
    assert status == 200
    crowd = [raw(port) for _ in range(2)]
    status, body = get(port, "/healthz")
    assert status == 503 and json.loads(body)["detail"].startswith("the counter is answering 3 requests at once")
    started = time.monotonic()
    assert [received(connection) for connection in idle + crowd] == [b""] * 4  # closed, having sent no headers
    assert time.monotonic() - started < 5
    slow_body = raw(port, b"POST /sentence HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 60\r\n\r\n{\"lang\": ")
    answer = received(slow_body)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"connection: close" in answer.lower()
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["detail"] == "the request's body did not arrive within 1 s"
    assert get(port, "/healthz")[0] == 200


@pytest.mark.slow
def test_sigterm_lets_requests_in_flight_finish_and_refuses_the_rest_with_a_problem(serve, project):
    port, log, server = serve("--shutdown-timeout", "1", "--rate-limit", "0")

    def personal(_: int) -> tuple[int, str, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            connection.request("POST", PDF, json.dumps({"patient": "Ana"}), {"Content-Type": "application/json"})
            response = connection.getresponse()
            return response.status, response.getheader("content-type", ""), response.read()
        finally:
            connection.close()

    assert personal(0)[0] == 200  # the first render in the server's process loads the renderer
    with concurrent.futures.ThreadPoolExecutor(16) as clients:  # a render takes 0.3 s or more, one at a time
        asked = [clients.submit(personal, n) for n in range(16)]
        time.sleep(0.5)
        os.kill(server, signal.SIGTERM)
        answered = [future.result() for future in asked]
    statuses = sorted(status for status, _, _ in answered)
    # Each one a whole PDF or a problem, never a 500 or a cut connection; how many of the 16 finish
    # within the 1 s depends on the machine (a few on a quiet one, none on a loaded one).
    assert set(statuses) <= {200, 503} and statuses[-1] == 503, statuses
    for status, kind, body in answered:
        if status == 200:
            assert body.startswith(b"%PDF-")
        else:
            assert status == 503 and kind == "application/problem+json"
            assert json.loads(body)["detail"] == "the counter is stopping; the leaflet was not made (try again in 10 s)"
    assert "Traceback" not in log.read_text()


# -- a dead render worker -----------------------------------------------------------------------------

class KeptPool(RenderPool):
    """The counter's pool, kept where the test can reach its worker processes."""

    made: list[RenderPool] = []

    def __init__(self, project, workers: int) -> None:
        super().__init__(project, workers)
        KeptPool.made.append(self)


@pytest.mark.slow
def test_a_dead_worker_is_replaced_at_once_and_its_leaflet_retried_or_refused_with_retry_after(project, tmp_path,
                                                                                               monkeypatch):
    monkeypatch.setattr("leaflet.counter.app.RenderPool", KeptPool)
    KeptPool.made.clear()
    only_spanish(project)
    settings = Settings(data_dir=tmp_path / "data", workers=1, warm_up_wait=0.2)
    with TestClient(create_app(project, settings), base_url="http://127.0.0.1:8000") as client:
        pool = KeptPool.made[0]

        def health() -> str:
            return client.get("/healthz").json()["workers"]

        def kill_worker() -> None:
            for process in list(pool._executor._processes.values()):  # type: ignore[union-attr]
                os.kill(process.pid, signal.SIGKILL)

        wait_until(lambda: health() == "ready", "the warm-up")
        kill_worker()  # idle: replaced at once, not at the next request
        wait_until(lambda: health() == "warming", "the new workers")
        wait_until(lambda: health() == "ready", "the new workers' warm-up")
        response = client.post(PDF, json={"patient": "Ana García"})
        assert response.status_code == 200 and "Preparado para: Ana García" in pdf_bytes_text(response.content)

        with concurrent.futures.ThreadPoolExecutor(1) as requests:  # killed while making a leaflet
            asked = requests.submit(client.post, PDF, json={"patient": "Ana García"})
            wait_until(lambda: pool._executor._pending_work_items, "the leaflet in the worker")  # type: ignore
            kill_worker()
            refused = asked.result(timeout=60)
        assert problem(refused, 503)["detail"].startswith("a render worker stopped while making this leaflet")
        assert refused.headers["retry-after"] == "10"

        wait_until(lambda: health() == "ready", "the new workers' warm-up")
        settings.warm_up_wait = 120
        with concurrent.futures.ThreadPoolExecutor(1) as requests:
            asked = requests.submit(client.post, PDF, json={"patient": "Ana García"})
            wait_until(lambda: pool._executor._pending_work_items, "the leaflet in the worker")  # type: ignore
            kill_worker()
            retried = asked.result(timeout=120)
        assert retried.status_code == 200 and "Preparado para: Ana García" in pdf_bytes_text(retried.content)
