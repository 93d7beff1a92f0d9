"""Standardised, translatable directions: ``content/directions.toml`` -> ``Direction``.

A pharmacist picks a direction by code and count; its text comes from the
``directions`` catalog through ``npgettext``, so each language prints the
plural form its ``Plural-Forms`` header selects for that count. Directions are
grouped by dose form (``[tablet]``, ``[tablet.bedtime]``): a leaflet's front
matter names its form, so a capsule or liquid leaflet says its own unit. Directions
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
    #: The dose form it counts (``tablet``): each leaflet names its own (front matter ``form``).
    form: str = ""

    @property
    def context(self) -> str:
        """The catalog's ``msgctxt``: ``tablet.bedtime``, so a capsule's "bedtime" is another entry."""
        return f"{self.form}.{self.code}"


@dataclass(frozen=True)
class DoseForm:
    name: str
    #: What the count counts, in English, for the counter's page ("tablets").
    unit: str
    directions: dict[str, Direction]


def read_dose_forms(path: Path) -> dict[str, DoseForm]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise ContentError("not UTF-8 text", path=path, hint="save it as UTF-8") from None
    return parse_dose_forms(text, path)


def read_directions(path: Path, form: str) -> dict[str, Direction]:
    """The standard directions of one dose form; none where the project has no directions file."""
    forms = read_dose_forms(path)
    if not forms:
        return {}
    if form not in forms:
        raise UsageError(f"no standard directions for the dose form '{form or '(none)'}'",
                         hint=f"the leaflet's front matter says its form (form = \"tablet\"); {path.name} has: "
                              + ", ".join(sorted(forms)))
    return forms[form].directions


def parse_dose_forms(text: str, path: Path) -> dict[str, DoseForm]:
    table = parse_toml(text, path, ContentError)
    lines = {line.strip()[1:-1]: number for number, line in enumerate(text.splitlines(), start=1)
             if line.strip().startswith("[")}
    forms = {}
    for name, fields in table.items():
        if not isinstance(fields, dict) or not isinstance(fields.get("unit"), str):
            raise ContentError(f"dose form '{name}' needs a 'unit' (what the count counts, as \"tablets\")",
                               path=path, line=lines.get(name))
        directions = {code: _direction(name, code, value, path, lines.get(f"{name}.{code}"))
                      for code, value in fields.items() if code != "unit"}
        forms[name] = DoseForm(name, fields["unit"], directions)
    return forms


def _direction(form: str, code: str, fields: Any, path: Path, line: int | None) -> Direction:
    texts = fields if isinstance(fields, dict) else {}
    if not isinstance(texts.get("one"), str) or not isinstance(texts.get("other"), str):
        raise ContentError(f"direction '{form}.{code}' needs 'one' and 'other' texts", path=path, line=line)
    return Direction(code, texts["one"], texts["other"], texts.get("comment", ""), line or 1, form)


def resolve_direction(directions: dict[str, Direction], code: str) -> Direction:
    if code not in directions:
        raise UsageError(f"unknown directions '{code}'", hint="available: " + ", ".join(sorted(directions)))
    return directions[code]


def extract_babel(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str, str, str], list[str]]]:
    """Babel extraction method ``leaflet_directions``: ``npgettext(code, one, other)`` per direction."""
    name = getattr(fileobj, "name", "directions.toml")
    for form in parse_dose_forms(fileobj.read().decode("utf-8"), Path(name)).values():
        for direction in form.directions.values():
            comments = [direction.comment] if direction.comment else []
            yield direction.line, "npgettext", (direction.context, direction.one, direction.other), comments
