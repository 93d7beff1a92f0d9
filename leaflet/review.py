"""Who reviewed a translation, recorded in the catalog headers.

A translation nobody has reviewed is a draft, and the product says so
wherever it shows it. ``record_review`` writes ``X-Reviewed-By`` and
``X-Review-Date`` into every catalog of a language; ``review_status`` reads
them back for ``stats``, the CLI and the leaflet footer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import CatalogError, LinkOutsideProject, UsageError
from .pofile import read_catalog, write_catalog
from .project import Project

REVIEWED_BY = "X-Reviewed-By"
REVIEW_DATE = "X-Review-Date"


@dataclass(frozen=True)
class ReviewStatus:
    reviewer: str
    date: str

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewer)

    @property
    def text(self) -> str:
        return f"reviewed by {self.reviewer} on {self.date}" if self.reviewed else "not reviewed"


def review_status(project: Project, lang: str) -> ReviewStatus:
    """Reviewed only when every catalog of the language names a reviewer."""
    statuses = []
    for domain in project.domains():
        try:
            meta = read_catalog(project.po_file(lang, domain)).po.metadata
        except (CatalogError, LinkOutsideProject):  # missing, broken or refused: certainly not reviewed
            meta = {}
        statuses.append(ReviewStatus(meta.get(REVIEWED_BY, "").strip(), meta.get(REVIEW_DATE, "").strip()))
    if not statuses or not all(s.reviewed for s in statuses):
        return ReviewStatus("", "")
    return statuses[0]


def record_review(project: Project, lang: str, reviewer: str, date: str | None = None) -> list[Path]:
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise UsageError("--by needs the reviewer's name")
    day = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise UsageError(f"'{day}' is not a date", hint="use YYYY-MM-DD") from None
    written = []
    for domain in project.domains():
        path = project.po_file(lang, domain)
        catalog = read_catalog(path)
        catalog.po.metadata[REVIEWED_BY] = reviewer
        catalog.po.metadata[REVIEW_DATE] = day
        write_catalog(catalog.po, path)
        written.append(path)
    return written
