"""Skip a build whose inputs have not changed: a small manifest next to each output.

Takes an output PDF and the files and options that made it, and records them
in ``output/<lang>/.<name>.pdf.inputs.json``. A later build of the same output
is skipped when the options are the same and every recorded input is either
untouched (same size and mtime) or has the same content (same SHA-256), so a
no-op ``make pdf`` reads a few small files and renders nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from leaflet.files import write_atomic

#: Files above this size (fonts) are compared by size and mtime only.
HASHED_UP_TO = 1 << 20


def manifest_path(output: Path) -> Path:
    return output.parent / f".{output.name}.inputs.json"


def _digest(path: Path, size: int) -> str:
    if size > HASHED_UP_TO:
        return ""
    return _digest_of_version(path, size, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def _digest_of_version(path: Path, size: int, mtime_ns: int) -> str:
    """Templates and code are the same for every language: hash each version once."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file, computed once per version (size and mtime)."""
    stat = path.stat()
    return _digest_of_version(path, stat.st_size, stat.st_mtime_ns)


def manifest_digest(output: Path) -> str:
    """What made ``output``, as one digest: changes whenever a rebuild would (the counter's ETag)."""
    return hashlib.sha256(manifest_path(output).read_bytes()).hexdigest()


def record(output: Path, inputs: list[Path], key: str) -> None:
    files = {}
    for path in sorted(set(inputs)):
        stat = path.stat()
        files[str(path)] = [stat.st_size, stat.st_mtime_ns, _digest(path, stat.st_size)]
    write_atomic(manifest_path(output), json.dumps({"key": key, "inputs": files}, indent=1).encode())


def up_to_date(output: Path, key: str) -> bool:
    try:
        data = json.loads(manifest_path(output).read_text(encoding="utf-8"))
        if data["key"] != key or not output.exists():
            return False
        return all(_unchanged(Path(name), *recorded) for name, recorded in data["inputs"].items())
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _unchanged(path: Path, size: int, mtime_ns: int, digest: str) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    if (stat.st_size, stat.st_mtime_ns) == (size, mtime_ns):
        return True
    if path.is_symlink():  # changed, and a link: the build decides whether it may read the target
        return False
    return bool(digest) and stat.st_size == size and _digest(path, stat.st_size) == digest
