"""The review proof: a language's catalogs -> ``output/<lang>/<leaflet>.review.pdf``.

A landscape table, one row per catalog entry in leaflet order: its context
id and ``.po`` line, the English, the translation in its own script and
direction, its status (translated, fuzzy with the previous English, missing)
and the checks' findings. Every page says "REVIEW COPY - NOT FOR PATIENTS".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaflet.catalogs.checks import Problem
from leaflet.catalogs.gate import checked, expected_messages, language_glossary
from leaflet.catalogs.pofile import read_catalog_cached
from leaflet.catalogs.reviews import changed_entries, review_status
from leaflet.catalogs.stats import is_translated
from leaflet.errors import UsageError, display_path
from leaflet.languages import SOURCE_LANGUAGE, language
from leaflet.project import Project
from leaflet.render.fonts import font_families
from leaflet.render.html import environment
from leaflet.render.options import PAPER_SIZES
from leaflet.render.pdf import save_pdf
from leaflet.render.printing import print_pdf

if TYPE_CHECKING:
    import polib

TEMPLATE = "review.html"


@dataclass
class Row:
    context: str
    location: str
    source: str
    translation: str
    status: str  # "translated", "fuzzy" or "missing"
    previous: str = ""
    warnings: list[str] = field(default_factory=list)
    previous_label: str = "was"


@dataclass
class Section:
    title: str
    rows: list[Row]


def review_sections(project: Project, lang: str, leaflet: str) -> list[Section]:
    sections = []
    glossary, _ = language_glossary(project, lang)
    for domain in sorted(project.leaflet_domains(leaflet), key=lambda d: d != leaflet):  # its own first
        path = project.po_file(lang, domain)
        catalog = read_catalog_cached(path)
        by_line: dict[int, list[Problem]] = {}
        for problem in checked(catalog, lang, expected_messages(project, domain), glossary=glossary):
            by_line.setdefault(problem.line, []).append(problem)
        rows = [_row(entry, catalog.line_of(entry), path, by_line) for entry in catalog.entries()]
        sections.append(Section(f"{display_path(path)} ({len(rows)} entries)", rows))
    return sections


def _row(entry: polib.POEntry, line: int, path: Path, by_line: dict[int, list[Problem]]) -> Row:
    if entry.msgid_plural:
        source = f"{entry.msgid} | {entry.msgid_plural}"
        translation = " | ".join(text for _, text in sorted(entry.msgstr_plural.items()))
    else:
        source, translation = entry.msgid, entry.msgstr
    status = "fuzzy" if entry.fuzzy else "translated" if is_translated(entry) else "missing"
    warnings = [f"{p.severity}: {p.check}: {p.message}" for p in by_line.get(line, [])
                if p.check not in ("fuzzy", "untranslated")]
    return Row(entry.msgctxt or "", f"{path.name}:{line}", source, translation, status,
               entry.previous_msgid or "" if entry.fuzzy else "", warnings)


def since_review_sections(project: Project, lang: str, leaflet: str) -> list[Section]:
    """Only what changed since the recorded review, as reviewed and as now: a re-review takes minutes."""
    status = review_status(project, lang, leaflet)
    if not status.reviewer:
        raise UsageError(f"{leaflet} in '{lang}' has no recorded review to compare with",
                         hint=f"review the whole translation with 'leaflet proof {lang}'")
    rows = []
    for before, after in changed_entries(project, lang, leaflet):
        now, then = after or {}, before or {}
        source = now.get("msgid") or then.get("msgid", "")
        rows.append(Row(now.get("msgctxt") or then.get("msgctxt", ""), now.get("domain") or then.get("domain", ""),
                        source, _words(now) or "(removed since the review)", "changed",
                        _words(then) or "(new since the review)", previous_label="as reviewed"))
    title = f"Changed since the review by {status.reviewer} on {status.date} ({len(rows)} entries)"
    return [Section(title, rows)]


def _words(entry: dict[str, Any]) -> str:  # an entry of the review record (JSON)
    if not entry:
        return ""
    text = (" | ".join(v for _, v in sorted(entry["msgstr_plural"].items())) if entry.get("msgid_plural")
            else entry["msgstr"])
    return f"{text} [{', '.join(entry['flags'])}]" if entry.get("flags") and "fuzzy" in entry["flags"] else text


def write_review_proof(project: Project, lang: str, leaflet: str, paper: str = "a4", *,
                       since_review: bool = False) -> Path:
    if lang == SOURCE_LANGUAGE:
        raise UsageError("English is the source language: there is no translation to review")
    info = language(lang)
    sections = (since_review_sections(project, lang, leaflet) if since_review
                else review_sections(project, lang, leaflet))
    rows = [row for section in sections for row in section.rows]
    counts = {status: sum(r.status == status for r in rows) for status in ("translated", "fuzzy", "missing")}
    summary = (f"{len(rows)} entries: {counts['translated']} translated, {counts['fuzzy']} fuzzy, "
               f"{counts['missing']} missing.")
    if since_review:
        summary = f"{len(rows)} entries changed since the review; everything else is as reviewed."
    families = ", ".join(f'"{f}"' for f in font_families(info))
    html = environment(project).get_template(TEMPLATE).render(
        leaflet=leaflet, lang=info, lang_tag=lang.replace("_", "-"), sections=sections, summary=summary,
        paper_size=PAPER_SIZES[paper], families=families, pdf_ua=info.pdf_ua_note,
        footer=f"{leaflet} · {lang} · review copy · {summary}")
    rendered, _ = print_pdf(project, html, lang, bilingual=True)  # English and translation side by side
    out = project.output_file(lang, leaflet, "review-changes" if since_review else "review")
    save_pdf(rendered.data, out)
    return out
