"""Writing files safely: whole or not at all, and never through a link.

Takes a path and bytes and gives a file that is either the old one or the
new one, never half written (a temporary file renamed over it; a rename
replaces a symbolic link instead of following it). ``real_folder`` makes
every folder between a root and a path a real folder, so a link planted in
``output/`` cannot send a write, or a clean-up, somewhere else.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class NotARegularFile(OSError):
    """A FIFO, a device such as /dev/zero, a folder, or a file over the size limit."""


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. Checked before reading, so
    a FIFO never hangs the build and /dev/zero never fills the memory."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotARegularFile("not a regular file")
    if info.st_size > limit:
        raise NotARegularFile(f"{info.st_size:,} bytes; the limit is {limit:,}")
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotARegularFile(f"more than {limit:,} bytes; the limit is {limit:,}")
    return data


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def real_folder(folder: Path, root: Path) -> Path:
    """``folder`` and every folder from ``root`` down to it, made real: a link is removed
    (never followed) and replaced by an empty folder."""
    root.mkdir(parents=True, exist_ok=True)
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            current.unlink()
        current.mkdir(exist_ok=True)
    return folder


def copy_file(source: Path, target: Path) -> None:
    """Like shutil.copyfile, but a link at ``target`` is replaced, not written through."""
    write_atomic(target, source.read_bytes())
