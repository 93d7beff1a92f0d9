"""Standardised, translatable directions: ``content/directions.toml`` -> ``Direction``.

A pharmacist picks a direction by code and count; its text comes from the
``directions`` catalog through ``npgettext``, so each language prints the
plural form its ``Plural-Forms`` header selects for that count. Directions
typed free-hand are never translated (see ``BuildOptions.free_directions``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from leaflet.errors import ContentError, UsageError
from leaflet.source.toml import parse_toml


@dataclass(frozen=True)
class Direction:
    code: str
    one: str
    other: str
    comment: str = ""
    line: int = 1


def read_directions(path: Path) -> dict[str, Direction]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise ContentError("not UTF-8 text", path=path, hint="save it as UTF-8") from None
    return parse_directions(text, path)


def parse_directions(text: str, path: Path) -> dict[str, Direction]:
    table = parse_toml(text, path, ContentError)
    lines = {line.strip()[1:-1]: number for number, line in enumerate(text.splitlines(), start=1)
             if line.strip().startswith("[")}
    directions = {}
    for code, fields in table.items():
        if (not isinstance(fields, dict) or not isinstance(fields.get("one"), str)
                or not isinstance(fields.get("other"), str)):
            raise ContentError(f"direction '{code}' needs 'one' and 'other' texts", path=path, line=lines.get(code))
        directions[code] = Direction(code, fields["one"], fields["other"], fields.get("comment", ""),
                                     lines.get(code, 1))
    return directions


def resolve_direction(directions: dict[str, Direction], code: str) -> Direction:
    if code not in directions:
        raise UsageError(f"unknown directions '{code}'", hint="available: " + ", ".join(sorted(directions)))
    return directions[code]


def extract_babel(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str, str, str], list[str]]]:
    """Babel extraction method ``leaflet_directions``: ``npgettext(code, one, other)`` per direction."""
    name = getattr(fileobj, "name", "directions.toml")
    for direction in parse_directions(fileobj.read().decode("utf-8"), Path(name)).values():
        comments = [direction.comment] if direction.comment else []
        yield direction.line, "npgettext", (direction.code, direction.one, direction.other), comments
