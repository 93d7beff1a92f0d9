"""What the counter offers: a project -> its leaflets and languages, each printable or not, and why.

Takes a project and gives, for every leaflet and language, the names it is
found by (every name ``find_language`` knows, for the page's script to show
which language was matched as it is typed), its review status and whether it
can be printed now: it must pass
the same catalog gate as ``leaflet build`` (``pipeline.gate``). A language
that fails is offered as unavailable with the gate's own words, so the
counter never shows as printable what a build would refuse. The standard
directions are part of the gate here, because the counter prints them, and
each leaflet offers only the directions its source supports (``directions_offer``).
"""

from __future__ import annotations

from dataclasses import dataclass

from leaflet.catalogs.checks import ERROR
from leaflet.catalogs.gate import gate
from leaflet.catalogs.reviews import ReviewStatus, review_status
from leaflet.errors import CatalogProblems
from leaflet.languages import SOURCE_LANGUAGE, language, names_found, names_of
from leaflet.project import Project
from leaflet.source.content import read_leaflet
from leaflet.source.directions import Direction, read_dose_form


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    own_name: str
    english_name: str
    names: tuple[str, ...]  # everything it is found by at the counter
    direction: str
    review: str  # "not reviewed", "reviewed by ... on ...", "changed since review ..."
    reviewed: bool
    available: bool
    reason: str = ""  # why it cannot be printed, in the build's words
    status: ReviewStatus | None = None  # None for the source language
    found_by: tuple[str, ...] = ()  # every name the counter finds it by

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.own_name, "english_name": self.english_name,
                "direction": self.direction, "review": self.review, "reviewed": self.reviewed,
                "available": self.available, "reason": self.reason, "names": list(self.found_by)}


def unavailable_reason(project: Project, leaflet: str, code: str) -> str:
    """'' when the language passes the build's gate, else what the build would say."""
    try:
        gate(project, code, project.leaflet_domains(leaflet))  # the counter may add standard directions
    except CatalogProblems as exc:
        first = next((p for p in exc.problems if p.severity == ERROR), None)
        return f"{exc.message}: {first}" if first is not None else exc.message
    return ""


def language_choice(project: Project, leaflet: str, code: str) -> LanguageChoice:
    info = language(code)
    status = review_status(project, code, leaflet) if code != SOURCE_LANGUAGE else None
    reason = unavailable_reason(project, leaflet, code)
    return LanguageChoice(code, info.own_name, info.english_name, names_of(code), info.direction,
                          status.text if status else "source text", status.reviewed if status else True,
                          not reason, reason, status, tuple(names_found(code, tuple(project.languages()))))


def language_choices(project: Project, leaflet: str) -> list[LanguageChoice]:
    """Every language of the project for one leaflet, English first, then by English name."""
    choices = [language_choice(project, leaflet, code) for code in project.languages()]
    return sorted(choices, key=lambda c: (c.code != SOURCE_LANGUAGE, c.english_name.casefold()))


def medicines(project: Project) -> dict[str, str]:
    """Every leaflet's id and title, by title: what the page's medicine field offers."""
    titles = {name: read_leaflet(project.content_file(name)).title.text for name in project.leaflets()}
    return dict(sorted(titles.items(), key=lambda item: item[1].casefold()))


def find_medicine(project: Project, typed: str, titles: dict[str, str] | None = None) -> str:
    """The leaflet a pharmacist typed: its id, its title, the title's first word ("zolpidem") or
    one of its brand names (front matter ``brands``: "Ambien"), in any case; else the build's own
    refusal, listing the leaflets there are. ``titles``: ``medicines(project)`` when the caller
    has it already (every content file is read for it)."""
    wanted = " ".join(typed.split()).casefold()
    for name, title in (titles if titles is not None else medicines(project)).items():
        if wanted in (name, title.casefold(), title.split()[0].casefold()):
            return name
    for name in project.leaflets():
        if wanted in (brand.casefold() for brand in brands(project, name)):
            return name
    return project.resolve_leaflet(typed.strip())


def brands(project: Project, leaflet: str) -> tuple[str, ...]:
    """The brand names a pharmacist may type for a leaflet's medicine."""
    return read_leaflet(project.content_file(leaflet)).brands


@dataclass(frozen=True)
class DirectionsOffer:
    """The standard directions of one leaflet: of its dose form, those its source supports
    (front matter ``directions``). ``times``: the UMS times of day in order; ``others``: whole
    sentences of old codes, the deprecated ones last."""

    unit: str = "doses"
    times: tuple[Direction, ...] = ()
    others: tuple[Direction, ...] = ()

    @property
    def codes(self) -> list[str]:
        return sorted(d.code for d in self.times + self.others)

    def as_json(self) -> dict[str, object]:
        return {"directions": self.codes, "times": [d.code for d in self.times],
                "deprecated": {d.code: d.deprecated for d in self.others if d.deprecated}}


def directions_offer(project: Project, leaflet: str) -> DirectionsOffer:
    content = read_leaflet(project.content_file(leaflet))
    form = read_dose_form(project.directions_file, content.form) if content.form else None
    if form is None:
        return DirectionsOffer()
    allowed = [d for code, d in form.directions.items() if not content.directions or code in content.directions]
    others = sorted((d for d in allowed if not d.is_time), key=lambda d: (bool(d.deprecated), d.code))
    return DirectionsOffer(form.unit, tuple(d for d in form.times.values() if d in allowed), tuple(others))
