"""Does leaflet read .po files exactly as GNU gettext does? `make conformance`.

Takes every .po file in the sdists of pinned Django and Sphinx releases
(downloaded from the package index once into a cache outside the repository,
$LEAFLET_CONFORMANCE_CACHE or /tmp/leaflet-conformance, checked against pinned
SHA-256 digests, never committed) and the minimal cases in tests/data/po-syntax, and
compares, file by file, leaflet's reader with GNU msgfmt: the same files
accepted or refused, at the same line, and for accepted files the same
translations as the .mo file msgfmt compiles. Prints a summary; exit 1 on any
disagreement. tests/test_conformance.py runs the same comparison on the minimal
cases and on a sample of the real files (tests/data/conformance-sample), offline,
and on the whole corpus when it is already in the cache.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.catalogs.pofile import read_catalog  # noqa: E402  (after the sys.path line: runs without an install)
from leaflet.errors import CatalogError  # noqa: E402

#: (PyPI name, version, SHA-256 of the sdist): upgrading one is a reviewed change.
PINNED = [
    ("django", "5.2.19", "ad03d8abc51dbff95ebf34b27123cf0c26a3b62db7ba0cd520783686362533d1"),
    ("sphinx", "9.0.4", "594ef59d042972abbc581d8baa577404abe4e6c3b04ef61bd7fc2acbd51f3fa3"),
]
INDEX = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
CACHE = Path(os.environ.get("LEAFLET_CONFORMANCE_CACHE", Path(tempfile.gettempdir()) / "leaflet-conformance"))
MINIMAL = ROOT / "tests" / "data" / "po-syntax"
#: Real files from the same sdists, kept in the repository so `make test` needs no network.
SAMPLE = ROOT / "tests" / "data" / "conformance-sample"


def cached() -> list[Path] | None:
    """The .po files of every pinned sdist if `make conformance` has fetched them all, else None:
    the test suite reads what is there and never downloads."""
    folders = [CACHE / f"{name}-{version}" for name, version, _ in PINNED]
    if not all((folder / ".complete").exists() for folder in folders):
        return None
    return [path for folder in folders for path in sorted(folder.rglob("*.po"))]


def fetch() -> list[Path]:
    """The .po files of every pinned sdist, downloaded and unpacked once."""
    files = []
    for name, version, digest in PINNED:
        folder = CACHE / f"{name}-{version}"
        if not (folder / ".complete").exists():
            _unpack(_download(name, version, digest), folder)
        files += sorted(folder.rglob("*.po"))
    return files


def _download(name: str, version: str, digest: str) -> bytes:
    """From the package index's simple page (PEP 503), the one file pip itself would fetch."""
    with urllib.request.urlopen(f"{INDEX}/{name}/", timeout=60) as response:
        page = response.read().decode("utf-8", "replace")
    wanted = f"{name}-{version}.tar.gz"
    link = next((href for href in re.findall(r'href="([^"]+)"', page) if href.split("#")[0].endswith(wanted)), None)
    if link is None:
        raise SystemExit(f"{wanted} is not on {INDEX}")
    with urllib.request.urlopen(urllib.parse.urljoin(f"{INDEX}/{name}/", link.split("#")[0]), timeout=300) as response:
        data = response.read()
    found = hashlib.sha256(data).hexdigest()
    if found != digest:
        raise SystemExit(f"{wanted}: sha256 {found} is not the pinned {digest}")
    return data


def _unpack(data: bytes, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.endswith(".po"):
                target = folder / member.name.replace("/", "__")
                target.write_bytes(archive.extractfile(member).read())  # type: ignore[union-attr]
    (folder / ".complete").touch()


def msgfmt_reading(path: Path) -> tuple[bool, int | None, dict]:
    """Accepted?, the line of the first error, and the compiled translations."""
    with tempfile.TemporaryDirectory() as folder:
        mo = Path(folder) / "x.mo"
        data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
        result = subprocess.run(["msgfmt", "-o", str(mo), "-"], input=data, capture_output=True,
                                env={"LC_ALL": "C.UTF-8", "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        if result.returncode != 0:
            first = next((line for line in result.stderr.decode("utf-8", "replace").splitlines()
                          if line.startswith("<stdin>:")), "")
            number = first.split(":")[1] if first.count(":") >= 2 else ""
            return False, int(number) if number.isdigit() else None, {}
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        return True, None, {k: v for k, v in catalog.items() if k != ""}


def leaflet_reading(path: Path) -> tuple[bool, int | None, dict]:
    try:
        catalog = read_catalog(path)
    except CatalogError as exc:
        return False, exc.line, {}
    translations = {}
    for entry in catalog.po:
        if entry.obsolete or entry.fuzzy or not entry.msgid:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural:
            if any(entry.msgstr_plural.values()):
                translations.update({(key, i): text for i, text in entry.msgstr_plural.items()})
        elif entry.msgstr:
            translations[key] = entry.msgstr
    return True, None, translations


def compare(path: Path) -> str:
    """'' when leaflet and msgfmt agree on the file, else what differs."""
    theirs, ours = msgfmt_reading(path), leaflet_reading(path)
    if theirs[0] != ours[0]:
        return f"msgfmt {'accepts' if theirs[0] else 'refuses'} it, leaflet {'accepts' if ours[0] else 'refuses'} it"
    if theirs[1] != ours[1]:
        return f"msgfmt stops at line {theirs[1]}, leaflet at line {ours[1]}"
    if theirs[2] != ours[2]:
        differ = sorted(set(theirs[2].items()) ^ set(ours[2].items()), key=str)[:1]
        return f"the translations differ, e.g. {differ}"
    return ""


def main() -> int:
    started = time.perf_counter()
    files = fetch() + sorted(MINIMAL.glob("*.po"))
    disagreements = [(path, why) for path in files if (why := compare(path))]
    seconds = time.perf_counter() - started
    for path, why in disagreements:
        print(f"{path}: {why}")
    sources = ", ".join(f"{name} {version}" for name, version, _ in PINNED)
    print(f"conformance: {len(files)} files ({sources}, and {len(list(MINIMAL.glob('*.po')))} minimal cases); "
          f"{len(files) - len(disagreements)} agree with msgfmt, {len(disagreements)} disagree; {seconds:.1f} s")
    return 1 if disagreements else 0


if __name__ == "__main__":
    raise SystemExit(main())
