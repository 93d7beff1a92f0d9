"""Is this machine able to build leaflets? System libraries, commands, fonts, locked packages.

Takes the declared system requirements (``leaflet/system.toml``, the list
``scripts/setup-system.sh`` installs from), the project's languages and its
``requirements.lock``, and gives one ``Finding`` per requirement: found (with
its version) or missing (with the command that fixes it). ``require_build``
is the cheap part a build runs first, so a missing library is named before
WeasyPrint fails to load it, with the package to install.
"""

from __future__ import annotations

import ctypes
import functools
import glob
import os
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflet.errors import MissingFont, MissingSystemLibrary
from leaflet.languages import language

SYSTEM_FILE = Path(__file__).with_name("system.toml")
LOCK_FILE = "requirements.lock"
BUILD = "build"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


@dataclass(frozen=True)
class Finding:
    what: str
    ok: bool
    detail: str = ""
    fix: str = ""
    needed_by: str = BUILD

    def __str__(self) -> str:
        status = "ok" if self.ok else "missing"
        tail = (self.detail if self.ok
                else "; ".join(x for x in (self.detail, f"fix: {self.fix}" if self.fix else "") if x))
        needed = "" if self.ok or self.needed_by == BUILD else f" (needed by the {self.needed_by})"
        return f"{status:8} {self.what}{needed}" + (f"  {tail}" if tail else "")


@functools.lru_cache(maxsize=1)
def declared() -> dict[str, list[dict[str, str]]]:
    with SYSTEM_FILE.open("rb") as f:
        return tomllib.load(f)


def debian_packages() -> list[str]:
    """Every Debian package the declared requirements name, once, in order."""
    items = [item for kind in ("library", "command", "data", "fonts") for item in declared().get(kind, [])]
    return list(dict.fromkeys(item["debian"] for item in items))


def apt_command(packages: list[str]) -> str:
    sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
    return f"{sudo}apt-get install -y --no-install-recommends {' '.join(dict.fromkeys(packages))}"


# -- system libraries and commands ----------------------------------------------------

def check_library(item: dict[str, str]) -> Finding:
    what = f"library {item['name']}"
    fix = apt_command([item["debian"]])
    for name in item["files"]:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        if item.get("symbol") and not hasattr(lib, item["symbol"]):
            return Finding(what, False, f"{name} has no {item['symbol']}", fix, item["needed_by"])
        return Finding(what, True, _library_version(lib, item) or name, needed_by=item["needed_by"])
    return Finding(what, False, f"{', '.join(item['files'])} not found", fix, item["needed_by"])


def _library_version(lib: ctypes.CDLL, item: dict[str, str]) -> str:
    if "version" not in item:
        return ""
    function = getattr(lib, item["version"])
    function.restype = ctypes.c_char_p
    return f"{function().decode()} ({item['files'][0]})"


def check_command(item: dict[str, Any]) -> Finding:
    """On PATH, or in one of the item's ``folders`` (globs: Debian puts PostgreSQL's in a versioned one)."""
    found = shutil.which(item["name"]) or next(
        (path for folder in item.get("folders", []) for path in sorted(glob.glob(f"{folder}/{item['name']}"))
         if os.access(path, os.X_OK)), None)
    if found:
        return Finding(f"command {item['name']}", True, found, needed_by=item["needed_by"])
    return Finding(f"command {item['name']}", False, "not on PATH", apt_command([item["debian"]]), item["needed_by"])


def check_data(item: dict[str, Any]) -> Finding:
    """A data file a package installs (tesseract's traineddata), found by one of the item's globs."""
    found = next((path for pattern in item["files"] for path in sorted(glob.glob(pattern))), None)
    if found:
        return Finding(item["name"], True, found, needed_by=item["needed_by"])
    return Finding(item["name"], False, f"{', '.join(item['files'])} not found", apt_command([item["debian"]]),
                   item["needed_by"])


def system_findings(needed_by: str | None = None) -> list[Finding]:
    data = declared()
    findings = [check_library(item) for item in data.get("library", [])]
    findings += [check_command(item) for item in data.get("command", [])]
    findings += [check_data(item) for item in data.get("data", [])]
    return [f for f in findings if needed_by is None or f.needed_by == needed_by]


def require_build() -> None:
    """What WeasyPrint and the font lookup load, checked before any leaflet is built."""
    missing = [f for f in _build_findings() if not f.ok]
    if missing:
        packages = [item["debian"] for kind in ("library", "command") for item in declared().get(kind, [])
                    if f"{kind} {item['name']}" in {f.what for f in missing}]
        raise MissingSystemLibrary(
            "this machine lacks what a build needs: " + ", ".join(f.what for f in missing),
            hint=f"install with: {apt_command(packages)}; 'leaflet doctor' checks everything",
        )


@functools.lru_cache(maxsize=1)
def _build_findings() -> tuple[Finding, ...]:
    return tuple(system_findings(BUILD))


# -- fonts ---------------------------------------------------------------------------

def font_findings(codes: list[str]) -> list[Finding]:
    """One line per script: every family its languages use, in both weights."""
    from leaflet.render.fonts import WEIGHTS, find_font

    scripts: dict[str, list[str]] = {}
    for code in codes:
        scripts.setdefault(language(code).script.name, []).append(code)
    findings = []
    for script, codes_of_script in scripts.items():
        lang = language(codes_of_script[0])
        what = f"fonts for {script} ({', '.join(codes_of_script)})"
        try:
            found = [find_font(family, style, lang.font_package) for family in lang.fonts for style in WEIGHTS]
        except MissingFont as exc:
            findings.append(Finding(what, False, exc.message, apt_command([lang.font_package])))
            continue
        findings.append(Finding(what, True, ", ".join(dict.fromkeys(f.family for f in found))))
    return findings


# -- Python packages ---------------------------------------------------------------------

def read_lock(path: Path) -> dict[str, str]:
    """``name -> version`` of every pin in a pip-compile lock."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def package_findings(lock: Path) -> list[Finding]:
    import importlib.metadata  # only 'leaflet doctor' asks: a build starts without it

    fix = f"make setup (pip install --require-hashes -r {LOCK_FILE})"
    if not lock.is_file():
        return [Finding("Python packages", True, f"no {LOCK_FILE} in the project to compare with")]
    runtime = runtime_packages()
    findings = []
    for name, locked in read_lock(lock).items():
        needed_by = BUILD if name in runtime else "tests"
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            findings.append(Finding(f"Python {name} {locked}", False, "not installed", fix, needed_by))
            continue
        ok = installed == locked
        detail = "installed" if ok else f"{installed} is installed, the lock says {locked}"
        findings.append(Finding(f"Python {name} {locked}", ok, detail, "" if ok else fix, needed_by))
    return findings


def runtime_packages(root: str = "leaflet") -> set[str]:
    """leaflet's own dependencies and theirs, without the test extra."""
    import importlib.metadata

    seen: set[str] = set()
    todo = [root]
    while todo:
        try:
            requires = importlib.metadata.requires(todo.pop()) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
            name = canonical(match.group()) if match else ""
            if name and "extra ==" not in requirement and name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def diagnose(project_root: Path, codes: list[str]) -> list[Finding]:
    """Everything, in the order a newcomer fixes it: packages, libraries, commands, fonts."""
    return [*package_findings(project_root / LOCK_FILE), *system_findings(), *font_findings(codes)]


def blocking(findings: list[Finding]) -> list[Finding]:
    """What stops a build (tests and proofs can wait)."""
    return [f for f in findings if not f.ok and f.needed_by == BUILD]
