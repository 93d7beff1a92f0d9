"""Where a leaflet project keeps its inputs and outputs.

Takes a project folder (the repository by default) and gives the paths of
its content files, catalogs, templates and outputs. Every name that becomes
part of a path is validated here first, so ``LANG=../../etc`` never leaves
``output/``, and a content file or catalog that is a symbolic link out of the
project is refused before anything reads it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from leaflet.errors import LinkOutsideProject, UnknownLeaflet, UsageError
from leaflet.languages import SOURCE_LANGUAGE, negotiate

#: The catalog domain of the print frame shared by every leaflet (headings, box, footer).
FRAME_DOMAIN = "frame"
#: The standardised directions (``content/directions.toml``).
DIRECTIONS_DOMAIN = "directions"
#: The counter's web page lives beside the print templates; no leaflet is made from it.
COUNTER_TEMPLATES = "counter"
DIRECTIONS_FILE = "directions.toml"

PROJECT_VARIABLE = "LEAFLET_PROJECT"
CACHE_VARIABLE = "LEAFLET_CACHE"
_LEAFLET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
#: Personalised leaflets go to ``output/<lang>/personal/``, apart from the stock ones.
PERSONAL_FOLDER = "personal"
_PERSONAL_TAG = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9a-f]{10}$")


def is_project(folder: Path) -> bool:
    return (folder / "templates").is_dir() and (folder / "content").is_dir()


def leads_out(path: Path, root: Path) -> bool:
    """Whether reading ``path`` would follow a symbolic link out of ``root``. A link that
    stays inside is fine, and so is a file outside that is named as itself, not through
    a link (``leaflet check /tmp/es.po``)."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop of links leads nowhere readable
        return True
    if real.is_relative_to(root.resolve()):
        return False
    named = Path(os.path.abspath(path))
    named_inside = named.is_relative_to(os.path.abspath(root)) or named.is_relative_to(root.resolve())
    return named_inside or path.is_symlink()


def refuse_link_out(path: Path, root: Path) -> Path:
    """``path``, unless it leads out of the project through a link: a catalog linked to
    /etc/passwd would otherwise be read, and its first line quoted in an error."""
    if leads_out(path, root):
        raise LinkOutsideProject("is a symbolic link to a file outside the project folder", path=path,
                                 hint="replace the link with the file itself")
    return path


@dataclass(frozen=True)
class Project:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # accept a str from Python callers

    @classmethod
    def default(cls) -> Project:
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
        return sorted(p.stem for p in self.content_dir.glob("*.md") if self.is_leaflet_name(p.stem))

    @staticmethod
    def is_leaflet_name(name: str) -> bool:
        """Lower-case letters, digits and '-'; never the name of a shared catalog."""
        return bool(_LEAFLET_NAME.match(name)) and name not in (FRAME_DOMAIN, DIRECTIONS_DOMAIN)

    @property
    def directions_file(self) -> Path:
        return refuse_link_out(self.content_dir / DIRECTIONS_FILE, self.root)

    @property
    def names_file(self) -> Path:
        """Medicine names that are never hyphenated."""
        return self.content_dir / "names.toml"

    def domains(self) -> list[str]:
        has_directions = (self.content_dir / DIRECTIONS_FILE).exists()  # a link out is refused when read
        shared = [FRAME_DOMAIN, DIRECTIONS_DOMAIN] if has_directions else [FRAME_DOMAIN]
        return [*shared, *self.leaflets()]

    def leaflet_domains(self, leaflet: str, *, directions: bool = True) -> list[str]:
        """The catalogs a leaflet prints from, in one place: the shared frame, the leaflet's own,
        and the shared directions (when the project has them and the print may show them).
        A review covers these; a print needs these; the counter offers a language that has these."""
        has_directions = directions and (self.content_dir / DIRECTIONS_FILE).exists()
        return [FRAME_DOMAIN, leaflet] + ([DIRECTIONS_DOMAIN] if has_directions else [])

    def domain_sources(self, domain: str) -> list[Path]:
        """The files a domain's English comes from."""
        if domain == DIRECTIONS_DOMAIN:
            return [self.directions_file]
        if domain == FRAME_DOMAIN:
            return sorted(self.templates_dir.rglob("*.html"))
        return [self.content_file(domain)]

    def languages(self) -> list[str]:
        """English plus every language that has a catalog folder."""
        found = {p.parent.name for p in self.locales_dir.glob("*/LC_MESSAGES")}
        return sorted(found | {SOURCE_LANGUAGE})

    def translated_languages(self) -> list[str]:
        return [code for code in self.languages() if code != SOURCE_LANGUAGE]

    def resolve_language(self, requested: str) -> str:
        return negotiate(requested, self.languages())

    def resolve_leaflet(self, requested: str) -> str:
        if not self.is_leaflet_name(requested):
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

    # The files a build reads: each refused if it is a link out of the project.

    def content_file(self, leaflet: str) -> Path:
        return refuse_link_out(self.content_dir / f"{leaflet}.md", self.root)

    def pot_file(self, domain: str) -> Path:
        return refuse_link_out(self.locales_dir / f"{domain}.pot", self.root)

    def po_file(self, lang: str, domain: str) -> Path:
        return refuse_link_out(self.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po", self.root)

    def glossary_file(self, lang: str) -> Path:
        """The language's terms (TBX), beside its catalogs; it need not exist."""
        return refuse_link_out(self.locales_dir / lang / "glossary.tbx", self.root)

    def output_file(self, lang: str, leaflet: str, edition: str = "", ending: str = "pdf") -> Path:
        """The stock leaflet every patient gets: ``output/<lang>/<leaflet>[.edition].pdf``
        (``.mp3``, ``.brf``, ``.html``, ``.epi.json`` for the editions that are not printed)."""
        suffix = f".{edition}" if edition else ""
        return self.output_dir / lang / f"{leaflet}{suffix}.{ending}"

    def personal_output_file(self, lang: str, leaflet: str, edition: str, tag: str, ending: str = "pdf") -> Path:
        """One patient's leaflet, never at a stock leaflet's path:
        ``output/<lang>/personal/<leaflet>[.edition]-<tag>.pdf``."""
        if not _PERSONAL_TAG.match(tag):
            raise ValueError(f"not a personal leaflet tag: {tag!r}")
        suffix = f".{edition}" if edition else ""
        return self.output_dir / lang / PERSONAL_FOLDER / f"{leaflet}{suffix}-{tag}.{ending}"
