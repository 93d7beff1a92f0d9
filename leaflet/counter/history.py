"""Print history: each leaflet the counter hands out -> one row in SQLite, with no personal data.

Takes a build plan and the PDF's bytes and records what was printed, so a
pharmacy can answer "which version of the Arabic leaflet did we hand out in
March?" and count the prints of a version later found wrong: the time (UTC),
the leaflet and its content revision, the language, a digest of the
catalogs it was printed from, the review status, the edition, the paper and
the PDF's SHA-256. Never the patient's name, directions, count or date: a
personalised print is only flagged as one. SQLite is the embedded default:
one file in the data folder (``data/history.sqlite3``), no server to start.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import sqlite3
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import IO

from leaflet.builder.manifest import file_digest
from leaflet.builder.pipeline import Plan
from leaflet.catalogs.reviews import review_status
from leaflet.errors import HistoryError
from leaflet.languages import SOURCE_LANGUAGE
from leaflet.project import Project
from leaflet.source.content import read_leaflet

HISTORY_FILE = "history.sqlite3"
DATA_VARIABLE = "LEAFLET_DATA"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS prints (
    time TEXT NOT NULL,            -- UTC, ISO 8601 to the second
    leaflet TEXT NOT NULL,
    revision TEXT NOT NULL,        -- the content's "revised" date and its file's digest
    lang TEXT NOT NULL,
    catalog_digest TEXT NOT NULL,  -- sha256 over the language's catalogs the leaflet was made from
    review TEXT NOT NULL,
    edition TEXT NOT NULL,         -- standard, large, bilingual or bilingual+large
    paper TEXT NOT NULL,
    personalised INTEGER NOT NULL, -- 1 for a patient's leaflet; what was typed is never stored
    pdf_sha256 TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS prints_by_leaflet ON prints (leaflet, lang, time);
"""
#: A row of ``prints``, column by column.
_Row = tuple[str, str, str, str, str, str, str, str, int, str]


@dataclass(frozen=True)
class Print:
    time: str
    leaflet: str
    revision: str
    lang: str
    catalog_digest: str
    review: str
    edition: str
    paper: str
    personalised: bool
    pdf_sha256: str


def history_file(data_dir: Path) -> Path:
    return data_dir / HISTORY_FILE


def print_of(project: Project, plan: Plan, pdf: bytes, when: dt.datetime | None = None) -> Print:
    """The row for one print: what it was made from, never whom it was for."""
    content = project.content_file(plan.leaflet)
    revision = f"{read_leaflet(content).revised.isoformat()} {file_digest(content)[:12]}"
    review = review_status(project, plan.lang, plan.leaflet).text if plan.lang != SOURCE_LANGUAGE else "source text"
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return Print(moment.isoformat(timespec="seconds"), plan.leaflet, revision, plan.lang,
                 catalog_digest(project, plan), review,
                 plan.options.edition_name, plan.options.paper or "a4",
                 plan.options.personalised, hashlib.sha256(pdf).hexdigest())


def catalog_digest(project: Project, plan: Plan) -> str:
    """One digest for the exact catalog files of the language (and English, for bilingual)."""
    hashed = hashlib.sha256()
    langs = [plan.lang] + ([SOURCE_LANGUAGE] if plan.options.bilingual and plan.lang != SOURCE_LANGUAGE else [])
    for lang in langs:
        for domain in project.leaflet_domains(plan.leaflet):
            path = project.po_file(lang, domain)
            hashed.update(f"{lang}/{domain}:{file_digest(path) if path.is_file() else '-'}\n".encode())
    return "sha256:" + hashed.hexdigest()


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=10)
        _create(path, path.stat().st_ino)
    except (OSError, sqlite3.Error) as exc:
        raise HistoryError(f"cannot open the print history: {exc}", path=path,
                           hint="check that the data folder is writable (--data DIR)") from None
    return connection


@functools.lru_cache(maxsize=16)
def _create(path: Path, inode: int) -> None:
    """The table, once per file (a new file, a new inode): not on every print."""
    with contextlib.closing(sqlite3.connect(path, timeout=10)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")  # several counter processes may write at once
        connection.executescript(_SCHEMA)


def record_print(path: Path, entry: Print) -> None:
    connection = _connect(path)
    try:
        with connection:
            connection.execute(f"INSERT INTO prints VALUES ({', '.join('?' * len(fields(Print)))})", astuple(entry))
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot record the print: {exc}", path=path) from None
    finally:
        connection.close()


def read_prints(path: Path, *, leaflet: str | None = None, lang: str | None = None,
                since: dt.date | None = None, until: dt.date | None = None) -> list[Print]:
    """Prints in time order; ``since`` and ``until`` are whole days (UTC), both included."""
    if not path.is_file():
        return []
    where, values = [], []
    for column, value in (("leaflet", leaflet), ("lang", lang)):
        if value is not None:
            where.append(f"{column} = ?")
            values.append(value)
    if since is not None:
        where.append("time >= ?")
        values.append(since.isoformat())
    if until is not None:
        where.append("time < ?")
        values.append((until + dt.timedelta(days=1)).isoformat())
    query = "SELECT * FROM prints" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY time, rowid"
    connection = _connect(path)
    try:
        rows: list[_Row] = connection.execute(query, values).fetchall()
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot read the print history: {exc}", path=path) from None
    finally:
        connection.close()
    return [Print(*row[:8], bool(row[8]), row[9]) for row in rows]


def write_csv(prints: list[Print], stream: IO[str]) -> None:
    writer = csv.writer(stream)
    writer.writerow([f.name for f in fields(Print)])
    for entry in prints:
        writer.writerow([int(v) if isinstance(v, bool) else v for v in astuple(entry)])
