"""Shared fixtures: a private copy of the project, built PDFs, and PDF readers.

Tests never write into the repository: every build runs in a copy of the
project's content, catalogs and templates under pytest's tmp folder. The font
subset cache ($LEAFLET_CACHE) is shared between copies and lives in the
system's temporary folder (it is keyed by font and characters).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from leaflet import build
from leaflet.errors import LeafletError
from leaflet.project import CACHE_VARIABLE, Project

REPO = Project.default()
REPOSITORY_KEY = pytest.StashKey[dict[str, int]]()
COPIED = ("content", "locales", "templates")
#: Debian's Chromium, which the browser tests drive through Playwright (no browser download).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


#: Font subsets are keyed by font and characters, so every copy shares one cache, outside the repository.
os.environ.setdefault(CACHE_VARIABLE, str(Path(tempfile.gettempdir()) / f"leaflet-test-cache-{os.getuid()}"))
#: Hypothesis keeps its examples and Unicode tables outside the repository too.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      str(Path(tempfile.gettempdir()) / f"leaflet-hypothesis-{os.getuid()}"))

#: What the interpreter and the checkers keep beside the code; everything else in the repository
#: must be as it was when the tests started.
NOT_OURS = {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", "build",
            "leaflet.egg-info"}


def repository_files() -> dict[str, int]:
    """Every file in the repository (output/ included) and its modification time."""
    found = {}
    for folder, subfolders, files in os.walk(REPO.root):
        subfolders[:] = [d for d in subfolders if d not in NOT_OURS]
        for name in files:
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                found[os.path.relpath(path, REPO.root)] = os.lstat(path).st_mtime_ns
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[REPOSITORY_KEY] = repository_files()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Tests never write into the repository: a file a test run added, changed or removed fails it."""
    before = session.config.stash.get(REPOSITORY_KEY, None)
    if before is None or os.environ.get("LEAFLET_TESTS_SHARE_REPO"):  # someone else is building here
        return
    after = repository_files()
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"tests wrote into the repository: {', '.join(changed[:10])}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def copy_project(target: Path) -> Project:
    for name in COPIED:
        shutil.copytree(REPO.root / name, target / name)
    return Project(target)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A private, writable copy of the project."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def shared_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One copy for tests that only read what they build."""
    return copy_project(tmp_path_factory.mktemp("shared") / "project")


class Builds:
    """Leaflets built on first use and kept for the session. A leaflet that does not
    build fails the tests that use it, with its one-line error, and no others."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._results: dict[tuple, Path | LeafletError] = {}

    def __call__(self, lang: str, leaflet: str = "diazepam", **options) -> Path:
        key = (lang, leaflet, tuple(sorted(options.items())))
        if key not in self._results:
            try:
                self._results[key] = build(leaflet, lang, project=self.project, **options)
            except LeafletError as exc:
                self._results[key] = exc
        result = self._results[key]
        if isinstance(result, LeafletError):
            pytest.fail(f"{leaflet} in {lang} does not build: {result}", pytrace=False)
        return result


@pytest.fixture(scope="session")
def built(shared_project: Project) -> Builds:
    return Builds(shared_project)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_bytes_text(data: bytes) -> str:
    """``pdf_text`` of a PDF held in memory (a personalised leaflet from the counter)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "leaflet.pdf"
        path.write_bytes(data)
        return pdf_text(path)


def squeeze(text: str) -> str:
    """Text without whitespace, hyphens and bidi controls (pdftotext adds them around
    right-to-left runs), so line breaks, hyphenation and direction do not matter."""
    return re.sub(r"[\s\-\u2010\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069\u2060]+", "", text)


def visual_lines(path: Path, page_number: int | None = None) -> list[str]:
    """Each printed line's characters from left to right, as the eye sees them (pdfplumber's
    x positions), not in the order the PDF stores them: right-to-left words come out reversed,
    and a phone number printed as "0100 555 1+" comes out as that."""
    import pdfplumber

    lines: list[list[dict]] = []
    with pdfplumber.open(path) as pdf:
        pages = pdf.pages if page_number is None else [pdf.pages[page_number]]
        for page in pages:
            page_lines: list[list[dict]] = []
            # By baseline (the text matrix), not by the glyph box: fonts of one line report boxes
            # points apart (Naskh's ":" beside Noto Sans digits), but share the baseline.
            for char in sorted(page.chars, key=lambda c: -c["matrix"][5]):
                if page_lines and abs(page_lines[-1][-1]["matrix"][5] - char["matrix"][5]) < 3:
                    page_lines[-1].append(char)
                else:
                    page_lines.append([char])
            lines += page_lines
    return ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])) for line in lines]


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the flags are the 5th-3rd from the end
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdf_reader(path: Path) -> PdfReader:
    return PdfReader(str(path))


def edit_file(path: Path, *replacements: tuple[str, str]) -> None:
    """Replace text in a copied project file; each old text must be there, so a test
    never passes because its edit silently did nothing."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{old!r} not in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


UNTRANSLATE_PRECAUTIONS = ('msgstr "Precauciones"', 'msgstr ""')


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """The ``leaflet`` command in-process: exit code, stdout, stderr; never a traceback."""
    from leaflet.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


#: What the file outside the project holds in the symbolic-link tests, as /etc/passwd would:
#: a refused link must never get it printed.
OUTSIDE_SECRET = "root:x:0:0:outside-the-project-7f3a:/root:/bin/bash"


def link_out(path: Path, outside: Path) -> Path:
    """Replace a project file with a symbolic link to a file outside the project; the target."""
    outside.mkdir(parents=True, exist_ok=True)
    target = outside / f"target-{path.name}"
    target.write_text(OUTSIDE_SECRET + "\n", encoding="utf-8")
    path.unlink(missing_ok=True)
    path.symlink_to(target)
    return target


# -- the corpus of bad and good catalogs ------------------------------------------------------------

DATA = Path(__file__).parent / "data"
BAD_CATALOGS = sorted((DATA / "bad-catalogs").rglob("*.po"))
#: Catalogs that ``leaflet check FILE`` accepts, some from elsewhere, some with a note (their .expect).
GOOD_CATALOGS = sorted((DATA / "good-catalogs").rglob("*.po"))


def folder_language(path: Path) -> str:
    """A case under ``<lang>/LC_MESSAGES/`` is in that language; the others are Spanish."""
    return path.parent.parent.name if path.parent.name == "LC_MESSAGES" else "es"


def corpus_expectation(path: Path) -> tuple[str, dict[str, str]]:
    """A case's ``.expect``: its problem (``12: error: numbers``) or ``accepted``, then optional
    ``language: ar`` (default es) and ``domain: directions``, the shipped catalog its entries come
    from: such a case also goes through ``leaflet check`` and ``leaflet build`` in a copied project."""
    first, *rest = path.with_suffix(".expect").read_text(encoding="utf-8").strip().splitlines()
    fields = dict(line.split(": ", 1) for line in rest if not line[:1].isdigit())  # "3: note: ..." is a note
    return first, {"language": folder_language(path), **fields}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module (the browser and page tests)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (leaflet/system.toml lists it)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        yield browser
        browser.close()
