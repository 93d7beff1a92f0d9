"""TOML source files (directions, medicine names, front matter, pharmacy profiles) -> tables.

One reading of tomllib's errors for all of them: the message without its position,
and the line as a field, so the one-line error reads ``file:line: not valid TOML: ...``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from leaflet.errors import LeafletError

#: Where tomllib says the mistake is; "at end of document" is the text's last line.
_POSITION = re.compile(r" ?\((?:at line (\d+), column \d+|at end of document)\)")


def parse_toml(text: str, path: Path, error: type[LeafletError], *, part: str = "", first_line: int = 1,
               hint: str | None = None) -> dict[str, Any]:
    """``part``: which part of the file the text is ("front matter"), ``first_line`` where it starts."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _POSITION.search(str(exc))
        last = text.rstrip("\n").count("\n") + 1
        line = (int(where.group(1)) if where and where.group(1) else last) + first_line - 1
        message = f"{part + ': ' if part else ''}not valid TOML: {_POSITION.sub('', str(exc)).strip()}"
        raise error(message, path=path, line=line, hint=hint) from None
