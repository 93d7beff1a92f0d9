"""Where a leaflet project keeps its inputs and outputs.

Takes a project folder (the repository by default) and gives the paths of
its content files, catalogs, templates and outputs. Every name that becomes
part of a path is validated here first, so ``LANG=../../etc`` never leaves
``output/``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UnknownLeaflet, UsageError
from .languages import SOURCE_LANGUAGE, negotiate

#: The catalog domain of the print frame shared by every leaflet (headings, box, footer).
FRAME_DOMAIN = "frame"
#: The standardised directions (``content/directions.toml``).
DIRECTIONS_DOMAIN = "directions"

PROJECT_VARIABLE = "LEAFLET_PROJECT"
CACHE_VARIABLE = "LEAFLET_CACHE"
_LEAFLET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
#: Personalised leaflets go to ``output/<lang>/personal/``, apart from the stock ones.
PERSONAL_FOLDER = "personal"
_PERSONAL_TAG = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9a-f]{10}$")


def is_project(folder: Path) -> bool:
    return (folder / "templates").is_dir() and (folder / "content").is_dir()


@dataclass(frozen=True)
class Project:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # accept a str from Python callers

    @classmethod
    def default(cls) -> "Project":
        """``$LEAFLET_PROJECT``, else the folder we are in (or one above it), else the
        checkout this package runs from; an installed package has no project of its own."""
        named = os.environ.get(PROJECT_VARIABLE)
        if named:
            if not is_project(Path(named)):
                raise UsageError(f"{PROJECT_VARIABLE}={named} is not a leaflet project",
                                 hint="point it at a folder with content/, locales/ and templates/")
            return cls(Path(named).resolve())
        here = Path.cwd().resolve()
        for folder in (here, *here.parents, Path(__file__).resolve().parent.parent):
            if is_project(folder):
                return cls(folder)
        raise UsageError("no leaflet project here",
                         hint="pass --project DIR (a folder with content/, locales/ and templates/), "
                              f"set {PROJECT_VARIABLE}, or run leaflet inside a project")

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def cache_dir(self) -> Path:
        """Font subsets and character maps: ``$LEAFLET_CACHE``, else ``output/.cache``."""
        named = os.environ.get(CACHE_VARIABLE)
        return Path(named) if named else self.output_dir / ".cache"

    def leaflets(self) -> list[str]:
        return sorted(p.stem for p in self.content_dir.glob("*.md") if _LEAFLET_NAME.match(p.stem))

    @property
    def directions_file(self) -> Path:
        return self.content_dir / "directions.toml"

    @property
    def names_file(self) -> Path:
        """Medicine names that are never hyphenated."""
        return self.content_dir / "names.toml"

    def domains(self) -> list[str]:
        shared = [FRAME_DOMAIN, DIRECTIONS_DOMAIN] if self.directions_file.exists() else [FRAME_DOMAIN]
        return [*shared, *self.leaflets()]

    def languages(self) -> list[str]:
        """English plus every language that has a catalog folder."""
        found = {p.parent.name for p in self.locales_dir.glob("*/LC_MESSAGES")}
        return sorted(found | {SOURCE_LANGUAGE})

    def translated_languages(self) -> list[str]:
        return [code for code in self.languages() if code != SOURCE_LANGUAGE]

    def resolve_language(self, requested: str) -> str:
        return negotiate(requested, self.languages())

    def resolve_leaflet(self, requested: str) -> str:
        if not _LEAFLET_NAME.match(requested) or requested in (FRAME_DOMAIN, DIRECTIONS_DOMAIN):
            raise UsageError(
                f"'{requested}' is not a leaflet name",
                hint="use lower-case letters, digits and '-', as in content/<name>.md",
            )
        if requested not in self.leaflets():
            raise UnknownLeaflet(
                f"unknown leaflet '{requested}'",
                hint="available: " + ", ".join(self.leaflets()),
            )
        return requested

    def content_file(self, leaflet: str) -> Path:
        return self.content_dir / f"{leaflet}.md"

    def pot_file(self, domain: str) -> Path:
        return self.locales_dir / f"{domain}.pot"

    def po_file(self, lang: str, domain: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"

    def output_file(self, lang: str, leaflet: str, edition: str = "") -> Path:
        """The stock leaflet every patient gets: ``output/<lang>/<leaflet>[.edition].pdf``."""
        suffix = f".{edition}" if edition else ""
        return self.output_dir / lang / f"{leaflet}{suffix}.pdf"

    def personal_output_file(self, lang: str, leaflet: str, edition: str, tag: str) -> Path:
        """One patient's leaflet, never at a stock leaflet's path:
        ``output/<lang>/personal/<leaflet>[.edition]-<tag>.pdf``."""
        if not _PERSONAL_TAG.match(tag):
            raise ValueError(f"not a personal leaflet tag: {tag!r}")
        suffix = f".{edition}" if edition else ""
        return self.output_dir / lang / PERSONAL_FOLDER / f"{leaflet}{suffix}-{tag}.pdf"
