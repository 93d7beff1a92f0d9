"""The print history (``leaflet/counter/history.py``) in SQLite and in a real PostgreSQL server.

PostgreSQL is Debian's (``postgresql``, listed in leaflet/system.toml), started here:
initdb and pg_ctl in a temporary folder, as the ``postgres`` user when the tests run as
root (PostgreSQL refuses to run as root), on a free port of 127.0.0.1. Each test gets
a database of its own. Without the binaries these tests are skipped, saying so.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from leaflet.builder.pipeline import run_build
from leaflet.counter.history import Filter, History, Print, database_url
from leaflet.errors import HistoryError, UsageError

DAY = dt.date(2026, 3, 7)


def entry(hour: int, leaflet: str = "diazepam", lang: str = "es", day: dt.date = DAY, **chosen) -> Print:
    stock = {} if chosen.get("personalised") else {"stock_sha256": f"{hour:064x}"}
    when = dt.datetime.combine(day, dt.time(hour), dt.UTC).isoformat()
    return Print(**{"time": when, "leaflet": leaflet, "revision": "2026-01-15 3f9c2a1b7d4e", "lang": lang,
                    "catalog_digest": "sha256:" + "ab" * 32, "review": "not reviewed", "edition": "standard",
                    "paper": "a4", "personalised": False, **stock, **chosen})


# -- a PostgreSQL server of our own ----------------------------------------------------------

def _postgres_binaries() -> Path | None:
    """Where leaflet doctor finds pg_ctl (Debian keeps it off PATH), and initdb beside it."""
    from leaflet.doctor import check_command, declared

    found = check_command(next(item for item in declared()["command"] if item["name"] == "pg_ctl"))
    return Path(found.detail).parent if found.ok else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A PostgreSQL server for this module: the URL of its ``postgres`` database."""
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; leaflet/system.toml lists it)")
    folder = Path(tempfile.mkdtemp(prefix="leaflet-postgres-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL will not run as root
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=120, cwd=folder)

    try:
        run(str(binaries / "initdb"), "-D", str(folder / "data"), "--auth=trust", "--username=leaflet",
            "--encoding=UTF8", "--no-sync", "--no-instructions")
        run(str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log"), "-w", "-t", "60",
            "-o", f"-p {port} -h 127.0.0.1 -k {folder} -F -c full_page_writes=off -c max_connections=60", "start")
        yield f"postgresql://leaflet@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60, cwd=folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres: str, request: pytest.FixtureRequest) -> str:
    """A new, empty database on the module's server."""
    import psycopg

    name = "history_" + request.node.name.split("[")[0][-40:].lower().replace("-", "_") + f"_{time.monotonic_ns()}"
    with psycopg.connect(postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return postgres.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[History]:
    """The same tests on both: the same table, the same queries."""
    url = database_url(tmp_path / "data") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    store = History(url)
    yield store
    store.close()


# -- the same queries on both --------------------------------------------------------------------

def test_prints_are_read_back_oldest_first_and_filtered(history):
    for row in (entry(12), entry(9, lang="ar"), entry(10, leaflet="zolpidem"),
                entry(8, day=DAY - dt.timedelta(days=1)), entry(7, day=DAY + dt.timedelta(days=1))):
        history.record(row)
    hours = lambda prints: [(p.time[8:10], p.time[11:13]) for p in prints]  # noqa: E731
    assert hours(history.prints()) == [("06", "08"), ("07", "09"), ("07", "10"), ("07", "12"), ("08", "07")]
    assert hours(history.prints(Filter(leaflet="diazepam", lang="es"))) == [("06", "08"), ("07", "12"), ("08", "07")]
    assert hours(history.prints(Filter(since=DAY, until=DAY))) == [("07", "09"), ("07", "10"), ("07", "12")]
    assert hours(history.prints(Filter(since=DAY + dt.timedelta(days=1)))) == [("08", "07")]
    assert hours(history.prints(Filter(limit=2))) == [("07", "12"), ("08", "07")]  # the newest two
    assert history.prints()[0] == entry(8, day=DAY - dt.timedelta(days=1))  # every field as written


def test_a_patients_print_keeps_what_was_chosen_and_no_digest(history):
    history.record(entry(9, personalised=True, directions="bedtime", count=2))
    (kept,) = history.prints()
    assert (kept.personalised, kept.directions, kept.count, kept.stock_sha256) == (True, "bedtime", 2, None)


def test_counters_opening_a_new_history_together_make_its_table_once(history):
    errors: list[BaseException] = []

    def open_and_record(hour: int) -> None:
        try:
            store = History(history.url)
            store.record(entry(hour))
            store.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_record, args=(hour,), daemon=True) for hour in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "the counters wait for each other for ever"
    assert errors == []
    assert len(history.prints()) == 8


def test_a_history_from_a_newer_leaflet_is_refused_with_what_to_do(history):
    history.record(entry(9))
    history.close()
    import sqlalchemy as sa

    engine = sa.create_engine(history.url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(HistoryError) as refused:
        History(history.url).prints()
    assert "cannot migrate the print history" in refused.value.message
    assert refused.value.hint == "a newer leaflet has used this history: upgrade this one"


# -- SQLite: the file ----------------------------------------------------------------------------

LEGACY_SCHEMA = """
CREATE TABLE prints (time TEXT NOT NULL, leaflet TEXT NOT NULL, revision TEXT NOT NULL, lang TEXT NOT NULL,
    catalog_digest TEXT NOT NULL, review TEXT NOT NULL, edition TEXT NOT NULL, paper TEXT NOT NULL,
    personalised INTEGER NOT NULL, pdf_sha256 TEXT NOT NULL);
CREATE INDEX prints_by_leaflet ON prints (leaflet, lang, time);
"""


def test_a_history_written_before_keeps_its_rows_but_no_digest_of_a_patients_leaflet(tmp_path):
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as legacy:
        legacy.executescript(LEGACY_SCHEMA)
        legacy.execute("INSERT INTO prints VALUES ('2026-03-07T09:00:00+00:00', 'diazepam', 'r', 'ar', 'sha256:x', "
                       "'not reviewed', 'standard', 'a4', 1, 'c0ffee' || printf('%058d', 1))")
        legacy.execute("INSERT INTO prints VALUES ('2026-03-07T10:00:00+00:00', 'diazepam', 'r', 'es', 'sha256:x', "
                       "'not reviewed', 'large', 'a4', 0, 'beef' || printf('%060d', 2))")
    path.chmod(0o644)
    history = History(database_url(tmp_path))
    history.record(entry(11))
    history.close()
    personal, stock, new = History(database_url(tmp_path)).prints()
    assert (personal.personalised, personal.stock_sha256, personal.lang) == (True, None, "ar")
    assert stock.stock_sha256 == "beef" + f"{2:060d}" and stock.edition == "large"
    assert new == entry(11)
    assert b"c0ffee" not in path.read_bytes()  # overwritten, not left in a free page
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_reading_a_history_that_does_not_exist_creates_nothing(tmp_path):
    assert History(database_url(tmp_path / "data")).prints() == []
    assert not (tmp_path / "data").exists()


def test_an_unwritable_history_is_a_history_error(tmp_path):
    (tmp_path / "data").write_text("a file where the folder should be")
    with pytest.raises(HistoryError) as refused:
        History(database_url(tmp_path / "data")).record(entry(9))
    assert refused.value.message.startswith("cannot record the print: ")
    assert refused.value.hint == "check that the data folder is writable (--data DIR)"


@pytest.mark.parametrize("url, message", [
    ("mysql://u@host/db", "the print history is kept in SQLite or PostgreSQL, not 'mysql'"),
    ("not a url", "'not a url' is not a database URL"),
    ("sqlite://", "a SQLite history needs a file"),
])
def test_a_database_url_that_is_neither_is_refused(url, message):
    with pytest.raises(UsageError) as refused:
        History(url)
    assert refused.value.message == message


# -- PostgreSQL through the command line and the counter -----------------------------------------

def test_leaflet_history_reads_postgres_from_the_option_or_the_environment(postgres_url, capsys, monkeypatch,
                                                                           shared_project):
    History(postgres_url).record(entry(9, lang="ar", personalised=True, directions="bedtime", count=2))
    code, out, _ = run_cli(capsys, "--project", shared_project.root, "history", "--database", postgres_url)
    assert code == 0 and out.splitlines()[-1] == "1 print(s)" and "personal bedtime x2" in out
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    code, out, _ = run_cli(capsys, "--project", shared_project.root, "history", "--lang", "ar", "--csv", "-")
    assert out.splitlines()[1].split(",")[8:] == ["1", "bedtime", "2", ""]


def test_a_counter_whose_database_is_down_does_not_start(capsys, shared_project, tmp_path):
    down = f"postgresql://leaflet@127.0.0.1:{_free_port()}/history"
    code, out, err = run_cli(capsys, "--project", shared_project.root, "serve", "--database", down,
                             "--data", tmp_path)
    assert code == 1 and out == ""
    assert err.startswith("Error: cannot open the print history: connection failed: ")
    assert err.rstrip().endswith(f"(check {down})")


@pytest.mark.slow
def test_two_counters_write_to_one_postgres_history_at_once(postgres_url, project, tmp_path, capsys):
    """Two ``leaflet serve`` processes, started together on a new database (one makes the table,
    the other waits for it), each handing out 20 stock leaflets while the other does."""
    run_build("diazepam", "es", project=project)
    ports = [_free_port(), _free_port()]
    counters = [subprocess.Popen([sys.executable, "-m", "leaflet", "--project", str(project.root), "serve",
                                  "--port", str(port), "--workers", "0", "--rate-limit", "0",
                                  "--data", str(tmp_path / f"data-{port}"), "--database", postgres_url],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for port in ports]
    try:
        for port, counter in zip(ports, counters, strict=True):
            _wait_until_listening(port, counter)
        failures: list[int] = []

        def fetch(port: int) -> None:
            for _ in range(20):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/leaflets/diazepam/es.pdf", timeout=60) as got:
                    if got.status != 200 or not got.read().startswith(b"%PDF-"):
                        failures.append(got.status)

        threads = [threading.Thread(target=fetch, args=(port,), daemon=True) for port in ports for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert failures == [] and not any(thread.is_alive() for thread in threads)
    finally:
        for counter in counters:
            counter.terminate()
            counter.wait(timeout=30)
    code, out, _ = run_cli(capsys, "--project", project.root, "history", "--database", postgres_url)
    assert code == 0 and out.splitlines()[-1] == "80 print(s)"
    assert not any((tmp_path / f"data-{port}").exists() for port in ports)  # no SQLite file beside it


def _wait_until_listening(port: int, counter: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120  # a guard against a hang: a busy machine starts slowly
    while time.monotonic() < deadline:
        assert counter.poll() is None, counter.stderr.read().decode() if counter.stderr else "the counter stopped"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    pytest.fail(f"the counter on port {port} did not start")
