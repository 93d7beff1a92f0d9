"""Standardised, translatable directions: ``content/directions.toml`` -> ``DoseForm``, and what
a pharmacist asks for (``morning=1,bedtime=1``, or an old code and a count) -> ``Chosen``.

Directions are written as USP <17> and the Universal Medication Schedule (UMS) write them: a
count at each time of day ("Take 1 tablet in the morning and 1 tablet at bedtime"), never
"twice a day". A dose form (``[tablet]``) has a sentence around the doses ("Take {doses}.")
and, for each UMS time, the dose at that time as a plural catalog entry ("{count} tablet in
the morning" / "{count} tablets in the morning"); ``leaflet.localized`` picks each dose's plural
form for its own count and joins the doses with the language's own "and" (CLDR's list
pattern), so four times need four entries and one sentence, not one entry per combination.
Any other code is a whole sentence with ``{count}``, kept so that old codes still print; a
``deprecated`` one says what to choose instead. A leaflet's front matter may allow fewer
directions than its dose form has (``directions = ["bedtime"]``): only those its source supports.
Directions typed free-hand are never translated (see ``BuildOptions.free_directions``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from leaflet.errors import ContentError, UsageError
from leaflet.source.content import Leaflet
from leaflet.source.toml import parse_toml

#: The Universal Medication Schedule's times of day, in the order of the day and of the sentence.
TIMES = ("morning", "noon", "evening", "bedtime")
#: The placeholder of a dose form's sentence that the doses fill.
DOSES = "{doses}"
MAX_COUNT = 999


@dataclass(frozen=True)
class Direction:
    """A catalog entry with plural forms: the dose at a time of day ("{count} tablet at
    bedtime"), or, for any other code, a whole sentence ("Take {count} tablet twice a day.")."""

    code: str
    one: str
    other: str
    comment: str = ""
    line: int = 1
    #: The dose form it counts (``tablet``): each leaflet names its own (front matter ``form``).
    form: str = ""
    #: Why a pharmacist should choose something else (an old code USP <17> advises against).
    deprecated: str = ""

    @property
    def context(self) -> str:
        """The catalog's ``msgctxt``: ``tablet.bedtime``, so a capsule's "bedtime" is another entry."""
        return f"{self.form}.{self.code}"

    @property
    def is_time(self) -> bool:
        return self.code in TIMES


@dataclass(frozen=True)
class DosesSentence:
    """The sentence around the doses at times of day ("Take {doses}."): one catalog entry per dose form."""

    text: str
    comment: str = ""
    line: int = 1
    form: str = ""

    @property
    def context(self) -> str:
        return f"{self.form}.sentence"


@dataclass(frozen=True)
class DoseForm:
    name: str
    #: What the count counts, in English, for the counter's page ("tablets").
    unit: str
    directions: dict[str, Direction]
    #: None when the form has no times of day, only whole sentences.
    sentence: DosesSentence | None = None

    @property
    def times(self) -> dict[str, Direction]:
        """The times of day it has, in the UMS order."""
        return {code: self.directions[code] for code in TIMES if code in self.directions}


#: What a pharmacist asked for: (code, count) pairs, times of day in the UMS order.
Schedule = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Chosen:
    """Directions resolved against a leaflet's dose form: doses at times of day, printed in the
    form's sentence, or one whole sentence and its count."""

    form: DoseForm
    doses: tuple[tuple[Direction, int], ...]

    @property
    def whole(self) -> Direction | None:
        """The whole sentence chosen by an old code, or None for doses at times of day."""
        first = self.doses[0][0]
        return None if first.is_time else first


def read_dose_forms(path: Path) -> dict[str, DoseForm]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise ContentError("not UTF-8 text", path=path, hint="save it as UTF-8") from None
    return parse_dose_forms(text, path)


def read_dose_form(path: Path, form: str) -> DoseForm | None:
    """One dose form; None where the project has no directions file."""
    forms = read_dose_forms(path)
    if not forms:
        return None
    if form not in forms:
        raise UsageError(f"no standard directions for the dose form '{form or '(none)'}'",
                         hint=f"the leaflet's front matter says its form (form = \"tablet\"); {path.name} has: "
                              + ", ".join(sorted(forms)))
    return forms[form]


def read_directions(path: Path, form: str) -> dict[str, Direction]:
    """The standard directions of one dose form; none where the project has no directions file."""
    found = read_dose_form(path, form)
    return found.directions if found is not None else {}


def parse_dose_forms(text: str, path: Path) -> dict[str, DoseForm]:
    table, lines = parse_toml(text, path, ContentError), _lines(text)
    return {name: _dose_form(name, fields, path, lines) for name, fields in table.items()}


def _lines(text: str) -> dict[str, int]:
    """The line of each table (``tablet.bedtime``) and of each form's sentence (``tablet.sentence``)."""
    found, table = {}, ""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line.startswith("["):
            table = line[1:-1].strip()
            found[table] = number
        elif line.startswith("sentence") and "=" in line and "." not in table:
            found.setdefault(f"{table}.sentence", number)
    return found


_FORM_KEYS = ("unit", "sentence", "comment")


def _dose_form(name: str, fields: Any, path: Path, lines: dict[str, int]) -> DoseForm:
    if not isinstance(fields, dict) or not isinstance(fields.get("unit"), str):
        raise ContentError(f"dose form '{name}' needs a 'unit' (what the count counts, as \"tablets\")",
                           path=path, line=lines.get(name))
    directions = {code: _direction(name, code, value, path, lines.get(f"{name}.{code}"))
                  for code, value in fields.items() if code not in _FORM_KEYS}
    text = fields.get("sentence")
    if any(d.is_time for d in directions.values()) and (not isinstance(text, str) or text.count(DOSES) != 1):
        raise ContentError(f"dose form '{name}' needs a 'sentence' with {DOSES} once, around its times of day",
                           path=path, line=lines.get(name), hint=f'sentence = "Take {DOSES}."')
    sentence = (DosesSentence(text, str(fields.get("comment", "")), lines.get(f"{name}.sentence", 1), name)
                if isinstance(text, str) else None)
    return DoseForm(name, fields["unit"], directions, sentence)


def _direction(form: str, code: str, fields: Any, path: Path, line: int | None) -> Direction:
    texts = fields if isinstance(fields, dict) else {}
    if not isinstance(texts.get("one"), str) or not isinstance(texts.get("other"), str):
        raise ContentError(f"direction '{form}.{code}' needs 'one' and 'other' texts", path=path, line=line)
    if "," in code or "=" in code:
        raise ContentError(f"direction code '{code}' may not contain ',' or '='", path=path, line=line,
                           hint="they separate the times of day in --directions morning=1,bedtime=1")
    direction = Direction(code, texts["one"], texts["other"], texts.get("comment", ""), line or 1, form,
                          texts.get("deprecated", ""))
    if direction.is_time and direction.deprecated:
        raise ContentError(f"'{form}.{code}' is a time of day of the Universal Medication Schedule: it cannot be "
                           "deprecated", path=path, line=line)
    return direction


# -- what a pharmacist asks for ----------------------------------------------------------------

def parse_schedule(text: str, count: int = 1) -> Schedule:
    """``bedtime`` (its count from ``--count``), ``morning=1,bedtime=2``, or ``morning,bedtime``
    (each ``--count``): times of day in the UMS order whatever the order typed."""
    items: list[tuple[str, int]] = []
    for part in text.split(","):
        code, equals, number = (piece.strip() for piece in part.partition("="))
        if not code:
            raise UsageError(f"--directions '{text[:60]}' has an empty item",
                             hint="name each time of day once: morning=1,bedtime=1")
        value = _count(code, number) if equals else count
        if any(code == seen for seen, _ in items):
            raise UsageError(f"--directions names '{code[:40]}' twice",
                             hint="give each time of day once, with its count")
        items.append((code, value))
    return tuple(sorted(items, key=lambda item: TIMES.index(item[0]) if item[0] in TIMES else len(TIMES)))


def _count(code: str, number: str) -> int:
    try:
        value = int(number)
    except ValueError:
        raise UsageError(f"--directions: the count of '{code[:40]}' must be a whole number, not '{number[:20]}'",
                         hint="morning=1,bedtime=2") from None
    if not 1 <= value <= MAX_COUNT:
        raise UsageError(f"--directions: the count of '{code[:40]}' must be between 1 and {MAX_COUNT}, not {value}",
                         hint="leave out a time of day that has no dose")
    return value


def format_schedule(schedule: Schedule) -> str:
    """The schedule as ``--directions`` takes it: ``morning=1,bedtime=2``."""
    return ",".join(f"{code}={count}" for code, count in schedule)


def resolve_schedule(form: DoseForm, schedule: Schedule, allowed: tuple[str, ...] = (),
                     leaflet: str = "the leaflet") -> Chosen:
    """Refuse a code the form does not have, one the leaflet's source does not allow (front
    matter ``directions``), or a whole sentence combined with anything else."""
    offered = [code for code in form.directions if not allowed or code in allowed]
    for code, _ in schedule:
        if code not in form.directions:
            raise UsageError(f"unknown directions '{code[:40]}'", hint="available: " + ", ".join(sorted(offered)))
        if code not in offered:
            raise UsageError(f"{leaflet}'s source does not support the directions '{code}'",
                             hint=f"{leaflet} allows only: {', '.join(offered)}, as its front matter says")
    doses = tuple((form.directions[code], count) for code, count in schedule)
    whole = [direction.code for direction, _ in doses if not direction.is_time]
    if whole and len(doses) > 1:
        raise UsageError(f"'{whole[0]}' is a whole sentence: it cannot be combined with other directions",
                         hint="give times of day and their counts: morning=1,bedtime=1")
    if not doses:
        raise UsageError("--directions needs a code", hint="times of day and counts: morning=1,bedtime=1")
    return Chosen(form, doses)


def choose_directions(path: Path, leaflet: Leaflet, text: str, count: int = 1) -> Chosen:
    """``--directions TEXT --count N`` for ``leaflet``: the build's, the counter's and the
    sentence preview's one way from what was typed to what is printed."""
    dose_form = read_dose_form(path, leaflet.form)
    if dose_form is None:
        raise UsageError("this project has no standard directions", hint=f"add {path.name} to its content folder")
    return resolve_schedule(dose_form, parse_schedule(text, count), leaflet.directions, leaflet.id)


def extract_babel(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: dict[str, Any]) -> Iterator[tuple[int, str, str | tuple[str, ...], list[str]]]:
    """Babel extraction method ``leaflet_directions``: ``pgettext`` for each form's sentence,
    ``npgettext(code, one, other)`` per direction."""
    name = getattr(fileobj, "name", "directions.toml")
    for form in parse_dose_forms(fileobj.read().decode("utf-8"), Path(name)).values():
        if form.sentence is not None:
            comments = [form.sentence.comment] if form.sentence.comment else []
            yield form.sentence.line, "pgettext", (form.sentence.context, form.sentence.text), comments
        for direction in form.directions.values():
            comments = [direction.comment] if direction.comment else []
            yield direction.line, "npgettext", (direction.context, direction.one, direction.other), comments
