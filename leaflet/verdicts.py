"""Checks that passed, remembered, so the same inputs are not checked twice.

Every build runs the catalog gate and the preflight. Both are pure functions of
what they read (catalog and source files; the PDF's bytes and the text laid
out), and of the code that checks. A pass is remembered as an empty file in the
cache named by the SHA-256 of all of that, so a rebuild of unchanged inputs
skips the work, and any change to a file, to leaflet's code or to the reader
tools checks again. A failure is never remembered: its messages are always
made fresh. Nothing is read back from the cache but a file's existence.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
from pathlib import Path

from leaflet.files import read_limited, write_atomic

PACKAGE = Path(__file__).resolve().parent


def digest(*parts: bytes | str) -> str:
    """One SHA-256 over several parts, each length-prefixed so no two lists share a digest."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big") + data)
    return hashed.hexdigest()


#: Larger than any source file leaflet accepts (content 1 MB, catalogs 4 MB).
MAX_DIGESTED = 8 * 1024 * 1024


def file_sha256(path: Path) -> str:
    """The SHA-256 of a regular file's bytes; "-" for anything else (a FIFO, /dev/zero, a
    missing file), never blocking: its own reader refuses it with a message."""
    try:
        return hashlib.sha256(read_limited(path, MAX_DIGESTED)).hexdigest()
    except OSError:
        return "-"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The checking code: every module of the package and its data files, and the name and
    version of every installed distribution (Babel's CLDR data decides plural rules and
    digits, pypdf how the text layer reads): upgrading any of them checks everything again."""
    files = sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".toml") and p.is_file())
    return digest(*(p.relative_to(PACKAGE).as_posix().encode() + b"\0" + p.read_bytes() for p in files),
                  *installed_distributions())


def installed_distributions() -> list[str]:
    """``Babel-2.18.0.dist-info`` and the like, from one folder listing (no metadata read)."""
    import sysconfig

    folders = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    names: set[str] = set()
    for folder in folders:
        with contextlib.suppress(OSError):
            names.update(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
    return sorted(names)


def tool_digest(*commands: str) -> str:
    """Which external readers a check ran (path, size and time of each): an upgrade checks again."""
    stamps = []
    for command in commands:
        found = shutil.which(command)
        info = os.stat(found) if found else None
        stamps.append(f"{command}={found}:{info.st_size}:{info.st_mtime_ns}" if info else f"{command}=-")
    return digest(*stamps)


def _mark(cache_dir: Path, kind: str, key: str) -> Path:
    return cache_dir / "passed" / kind / key


def passed(cache_dir: Path, kind: str, key: str) -> bool:
    return _mark(cache_dir, kind, key).is_file()


#: Passes remembered per kind; past this the older half is forgotten (each is an empty file).
MAX_PASSES = 4096


def remember_pass(cache_dir: Path, kind: str, key: str) -> None:
    """Only a speed-up: a cache that cannot be written checks again next time."""
    with contextlib.suppress(OSError):
        mark = _mark(cache_dir, kind, key)
        write_atomic(mark, b"")
        _forget_oldest(mark.parent)


def _forget_oldest(folder: Path) -> None:
    entries = list(os.scandir(folder))
    if len(entries) <= MAX_PASSES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) // 2]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
