"""The one path of the editions that are not printed: an edition -> the model -> bytes.

Like the print's ``render_edition``: the catalogs are gated first (a language with
any catalog error is refused), the localized leaflet is made once, and the
edition's maker turns it into the file's bytes. Each maker checks its own output
before it is saved (``EditionFailed``), as the preflight checks a PDF.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from leaflet.coverage import require_available
from leaflet.editions.reading import Personal, Section, sections
from leaflet.localized import LocalizedLeaflet
from leaflet.project import Project
from leaflet.render.edition import Edition, package_files
from leaflet.source.pharmacy import Pharmacy


@dataclass(frozen=True)
class Source:
    """What every maker is given: the model, its sections in reading order, and the edition."""

    leaflet: LocalizedLeaflet
    sections: list[Section]
    edition: Edition

    @property
    def pharmacy(self) -> Pharmacy | None:
        return self.edition.pharmacy


@dataclass(frozen=True)
class Made:
    """The file's bytes, every file they were made from, and lines for the build log
    (``voice: es``, ``table: es-g2.ctb (grade 2)``)."""

    data: bytes
    inputs: tuple[Path, ...] = ()
    notes: tuple[str, ...] = field(default=())


#: Each medium's maker: ``module:function``, the function taking a ``Source``.
MAKERS = {
    "audio": "leaflet.editions.audio:make_audio",
    "braille": "leaflet.editions.braille:make_braille",
    "html": "leaflet.editions.web:make_html",
    "epi": "leaflet.editions.epi:make_epi",
}


def read_source(project: Project, edition: Edition) -> tuple[Source, list[Path]]:
    """The gated catalogs -> the localized leaflet -> its sections; and the files read."""
    from leaflet.catalogs.gate import gate
    from leaflet.catalogs.translations import load_translations
    from leaflet.render.context import localized_leaflet
    from leaflet.source.content import read_leaflet

    content = read_leaflet(project.content_file(edition.leaflet))
    gate(project, edition.lang, edition.domains(project))
    translations = load_translations(project, edition.lang, edition.domains(project))
    model = localized_leaflet(project, content, translations, edition.options)
    options = edition.options
    personal = (Personal(options.patient, options.free_directions, options.date)
                if options.personalised else None)
    found = sections(model, pharmacy=edition.pharmacy, personal=personal)
    inputs = [project.content_file(edition.leaflet), *(c.path for c in translations.catalogs), *package_files()]
    inputs += [project.names_file] if project.names_file.exists() else []
    inputs += [project.directions_file] if options.directions else []
    inputs += [Path(options.pharmacy)] if options.pharmacy else []
    return Source(model, found, edition), inputs


def make_edition(project: Project, edition: Edition) -> Made:
    """The edition's file as bytes, checked, with every file it was made from."""
    medium = edition.options.medium
    require_available(medium, edition.lang)
    source, inputs = read_source(project, edition)
    made = maker(medium)(source)
    return Made(made.data, tuple(dict.fromkeys([*inputs, *made.inputs])), made.notes)


def maker(medium: str) -> Callable[[Source], Made]:
    module, _, name = MAKERS[medium].partition(":")
    found: Callable[[Source], Made] = getattr(importlib.import_module(module), name)
    return found
