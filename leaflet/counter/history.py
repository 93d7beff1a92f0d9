"""Print history: each leaflet the counter hands out -> one row in a SQL database, with no personal data.

Takes a build plan and the PDF's bytes and records what was printed, so a
pharmacy can answer "which version of the Arabic leaflet did we hand out in
March?" and count the prints of a version later found wrong: the time (UTC),
the leaflet and its content revision, the language, a digest of the
catalogs it was printed from, the review status, the edition, the paper, and
for a stock leaflet its PDF's SHA-256. For a patient's leaflet, only that it
was one and the standard directions chosen from the fixed list (their code
and count): never the name, the free directions or the date, nor any value
made from them (a digest of that PDF would let whoever holds the history
confirm a guessed name by rebuilding it).

Where it goes: a SQLite file by default (``data/history.sqlite3``, created
0600), or with ``DATABASE_URL=postgresql://...`` a PostgreSQL database that
several counters share. One table and the same queries for both (SQLAlchemy
Core); Alembic makes and migrates the table (``migrations/``) when a history
is opened, under a lock, so counters starting together do it once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from leaflet.builder.manifest import file_digest
from leaflet.builder.pipeline import Plan
from leaflet.catalogs.reviews import review_status
from leaflet.errors import HistoryError, UsageError
from leaflet.languages import SOURCE_LANGUAGE
from leaflet.project import Project
from leaflet.source.content import read_leaflet

HISTORY_FILE = "history.sqlite3"
DATA_VARIABLE = "LEAFLET_DATA"
DATABASE_VARIABLE = "DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Any number, the same in every counter: PostgreSQL's advisory lock around a migration.
MIGRATION_LOCK = 0x1EAF1E7

metadata = sa.MetaData()
prints = sa.Table(
    "prints", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("time", sa.DateTime(timezone=True), nullable=False),  # UTC, to the second
    sa.Column("leaflet", sa.Text, nullable=False),
    sa.Column("revision", sa.Text, nullable=False),  # the content's "revised" date and its file's digest
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("catalog_digest", sa.Text, nullable=False),  # sha256 over the catalogs it was made from
    sa.Column("review", sa.Text, nullable=False),
    sa.Column("edition", sa.Text, nullable=False),  # standard, large, bilingual or bilingual+large
    sa.Column("paper", sa.Text, nullable=False),
    sa.Column("personalised", sa.Boolean, nullable=False),
    sa.Column("directions", sa.Text),  # a patient's leaflet: the standard directions' code, never free text
    sa.Column("count", sa.Integer),  # ... and their number of doses
    sa.Column("stock_sha256", sa.Text),  # a stock leaflet's PDF; never one made for a patient
    sa.Index("prints_by_leaflet", "leaflet", "lang", "time"),
    sa.Index("prints_by_time", "time"),
)


@dataclass(frozen=True)
class Print:
    time: str  # ISO 8601, UTC, to the second
    leaflet: str
    revision: str
    lang: str
    catalog_digest: str
    review: str
    edition: str
    paper: str
    personalised: bool
    directions: str | None = None
    count: int | None = None
    stock_sha256: str | None = None


def history_file(data_dir: Path) -> Path:
    return data_dir / HISTORY_FILE


def database_url(data_dir: Path, named: str | None = None) -> str | sa.URL:
    """``named`` (``--database`` or ``$DATABASE_URL``) if given, else the SQLite file in the data folder."""
    return named or sa.URL.create("sqlite", database=str(history_file(data_dir)))


def open_history(data_dir: Path, database: str | None = None) -> History:
    """The counter's history: ``database`` (a URL) if given, else ``data_dir``'s SQLite file."""
    return History(database_url(data_dir, database))


def print_of(project: Project, plan: Plan, pdf: bytes, when: dt.datetime | None = None) -> Print:
    """The row for one print: what it was made from and what was chosen, never whom it was for."""
    review = review_status(project, plan.lang, plan.leaflet).text if plan.lang != SOURCE_LANGUAGE else "source text"
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    options = plan.options
    return Print(moment.isoformat(timespec="seconds"), plan.leaflet, revision_of(project, plan.leaflet), plan.lang,
                 catalog_digest(project, plan.leaflet, plan.lang, options.bilingual), review,
                 options.edition_name, options.paper or "a4",
                 options.personalised, options.directions, options.count if options.directions else None,
                 None if options.personalised else hashlib.sha256(pdf).hexdigest())


def revision_of(project: Project, leaflet: str) -> str:
    """The content's "revised" date and its file's digest: ``2026-01-15 3f9c2a1b7d4e``."""
    content = project.content_file(leaflet)
    return f"{read_leaflet(content).revised.isoformat()} {file_digest(content)[:12]}"


def catalog_digest(project: Project, leaflet: str, lang: str, bilingual: bool = False) -> str:
    """One digest for the exact catalog files of the language (and English, for bilingual)."""
    hashed = hashlib.sha256()
    for code in [lang] + ([SOURCE_LANGUAGE] if bilingual and lang != SOURCE_LANGUAGE else []):
        for domain in project.leaflet_domains(leaflet):
            path = project.po_file(code, domain)
            hashed.update(f"{code}/{domain}:{file_digest(path) if path.is_file() else '-'}\n".encode())
    return "sha256:" + hashed.hexdigest()


@dataclass(frozen=True)
class Filter:
    """Which prints to read: ``since`` and ``until`` are whole days (UTC), both included;
    ``limit`` keeps the newest ones."""

    leaflet: str | None = None
    lang: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int | None = None


class History:
    """One print history, opened once per process: its engine pools the connections
    and the table is made or migrated on the first use."""

    def __init__(self, url: str | sa.URL) -> None:
        self.url = _engine_url(url)
        self.file = Path(self.url.database or "") if self.url.get_backend_name() == "sqlite" else None
        #: What messages call it: the file, or the URL as given, without its password.
        self.where = str(self.file) if self.file else sa.make_url(url).render_as_string(hide_password=True)
        self._engine: sa.Engine | None = None
        self._lock = threading.Lock()

    def record(self, entry: Print) -> None:
        row = {**{f.name: getattr(entry, f.name) for f in fields(Print)}, "time": _moment(entry.time)}
        with self._failing("cannot record the print"), self._connected(create=True).begin() as connection:
            connection.execute(prints.insert(), row)

    def prints(self, query: Filter = Filter()) -> list[Print]:
        """Oldest first (the newest ``query.limit`` of them, with a limit)."""
        if self.file is not None and not self.file.is_file():
            return []  # reading never creates the file
        statement = sa.select(prints)
        for column, value in ((prints.c.leaflet, query.leaflet), (prints.c.lang, query.lang)):
            if value is not None:
                statement = statement.where(column == value)
        if query.since is not None:
            statement = statement.where(prints.c.time >= _day(query.since))
        if query.until is not None:
            statement = statement.where(prints.c.time < _day(query.until + dt.timedelta(days=1)))
        statement = statement.order_by(prints.c.time.desc(), prints.c.id.desc()).limit(query.limit)
        with self._failing("cannot read the print history"), self._connected(create=False).connect() as connection:
            rows = connection.execute(statement).mappings().all()
        return [_print(row) for row in reversed(rows)]

    def check(self) -> None:
        """Open it (making or migrating the table) and close it again: a wrong URL or password,
        or a server that is down, is said at the counter's start rather than at its first print."""
        try:
            with self._failing("cannot open the print history"):
                self._connected(create=True)
        finally:
            self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _connected(self, create: bool) -> sa.Engine:
        with self._lock:
            if self._engine is None:
                if self.file is not None and create:
                    _private_file(self.file)
                engine = _engine(self.url)
                try:
                    _migrate(engine)
                except BaseException:
                    engine.dispose()
                    raise
                self._engine = engine
            return self._engine

    @contextmanager
    def _failing(self, doing: str) -> Iterator[None]:
        try:
            yield
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            raise HistoryError(f"{doing}: {_reason(exc)}", path=self.file,
                               hint=f"check {self.where}" if self.file is None
                               else "check that the data folder is writable (--data DIR)") from None


def _engine_url(url: str | sa.URL) -> sa.URL:
    """SQLite or PostgreSQL (through psycopg 3, whatever driver the URL names)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise UsageError(f"'{str(url)[:60]}' is not a database URL",
                         hint="postgresql://user:password@host/database, or leave it out for the SQLite file") from None
    backend = parsed.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise UsageError(f"the print history is kept in SQLite or PostgreSQL, not '{backend}'",
                         hint="DATABASE_URL=postgresql://user:password@host/database")
    if backend == "sqlite" and not parsed.database:
        raise UsageError("a SQLite history needs a file", hint="sqlite:////absolute/path/history.sqlite3")
    return parsed.set(drivername="postgresql+psycopg") if backend == "postgresql" else parsed


def _private_file(path: Path) -> None:
    """The history file, readable by its owner only (0600; an older file is made so too):
    it says what was handed out, and when."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def _engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    sa.event.listen(engine, "connect", _sqlite_settings)
    sa.event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def _sqlite_settings(connection: Any, record: Any) -> None:
    """Transactions are ours (``BEGIN IMMEDIATE``: several counter processes may write, and
    a migration is one transaction); WAL lets readers read meanwhile; deleted rows are
    overwritten, not left in free pages (the migration drops the old digests)."""
    connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "secure_delete=ON"):
        connection.execute(f"PRAGMA {pragma}")


def _migrate(engine: sa.Engine) -> None:
    """Alembic's ``upgrade head`` in one transaction, under a lock: a counter that starts
    while another migrates waits, then finds nothing to do."""
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError as exc:  # a revision this leaflet does not know: a newer counter migrated it
            raise HistoryError(f"cannot migrate the print history: {exc}",
                               hint="a newer leaflet has used this history: upgrade this one") from None


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _print(row: sa.RowMapping) -> Print:
    moment: dt.datetime = row["time"]
    values = {f.name: row[f.name] for f in fields(Print)}
    values["time"] = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat(
        timespec="seconds")
    values["personalised"] = bool(row["personalised"])
    return Print(**values)


def _reason(exc: BaseException) -> str:
    """The database's own words, first line (no SQL, no parameters: nothing typed is ever in them)."""
    original = getattr(exc, "orig", None) or exc
    return (str(original).strip().splitlines() or [type(original).__name__])[0][:300]


def write_csv(entries: list[Print], stream: IO[str]) -> None:
    writer = csv.writer(stream)
    writer.writerow([f.name for f in fields(Print)])
    for entry in entries:
        writer.writerow(["" if v is None else int(v) if isinstance(v, bool) else v for v in astuple(entry)])
