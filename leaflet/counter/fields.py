"""What a request asks for -> ``BuildOptions``, with the CLI's checks and words.

Takes the fields of a form or a JSON object (``patient``, the counts at the
times of day ``morning``, ``noon``, ``evening`` and ``bedtime``, or a
``directions`` code and its ``count``, ``date``, ``free_directions``,
``edition``, ``paper``) and gives
the same ``BuildOptions`` the command line would make from its options, so
``BuildOptions.validated`` and ``plan_build`` refuse the same things with
the same words. Nothing here builds or prints. The history page's filters and
the links it makes back to the page are read here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from leaflet.counter.history import Filter
from leaflet.errors import UsageError
from leaflet.render.options import DEFAULT_OPTIONS, BuildOptions, printed_editions
from leaflet.source.directions import TIMES, format_schedule

PERSONAL_FIELDS = ("patient", *TIMES, "directions", "count", "date", "free_directions")
STOCK_FIELDS = ("edition", "paper")
#: Fields the counter's own form adds around the leaflet's (``send``: which button; ``seen``: the seal
#: of the leaflet whose page 1 was shown).
FORM_FIELDS = ("leaflet", "lang", "csrf", "preview", "send", "seen")


def stock_options(fields: Mapping[str, Any], pharmacy: Path | None) -> BuildOptions:
    """Edition and paper (``?edition=large&paper=letter``); the profile gives the default paper."""
    edition = _text(fields, "edition") or "standard"
    printed = printed_editions()
    if edition not in printed:
        raise UsageError(f"unknown edition '{edition[:40]}'", hint="use one of: " + ", ".join(printed))
    return printed[edition].options(replace(DEFAULT_OPTIONS, pharmacy=pharmacy, paper=_text(fields, "paper")))


def personal_options(fields: Mapping[str, Any], pharmacy: Path | None, allowed: tuple[str, ...] = ()) -> BuildOptions:
    """A patient's leaflet: every field optional, unknown ones refused (a typo must not print
    a leaflet without the directions the pharmacist thought they sent)."""
    unknown = sorted(set(fields) - set(PERSONAL_FIELDS) - set(STOCK_FIELDS) - set(allowed))
    if unknown:
        raise UsageError(f"unknown field '{str(unknown[0])[:40]}'",
                         hint="fields: " + ", ".join(PERSONAL_FIELDS + STOCK_FIELDS))
    return replace(stock_options(fields, pharmacy), patient=_text(fields, "patient"),
                   directions=directions_of(fields), count=_count(fields.get("count")),
                   free_directions=_text(fields, "free_directions"), date=_date(_text(fields, "date")))


def directions_of(fields: Mapping[str, Any]) -> str | None:
    """``--directions`` as the fields give it: the counts at times of day (``morning=1,bedtime=1``),
    or a code (``bedtime``, whose count is the ``count`` field). Both at once is a mistake."""
    doses = tuple((time, _dose(fields.get(time), time)) for time in TIMES if fields.get(time) not in (None, ""))
    code = _text(fields, "directions")
    if doses and code:
        raise UsageError(f"give the counts at times of day or the directions '{code[:40]}', not both",
                         hint="times of day: morning, noon, evening, bedtime; leave the other directions empty")
    return format_schedule(doses) if doses else code


def _dose(value: Any, time: str) -> int:
    """A count at a time of day: a whole number (its range is checked with the CLI's words)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdecimal():
        raise UsageError(f"the count at '{time}' must be a whole number, not '{str(value)[:20]}'",
                         hint="leave it empty for no dose at that time")
    return int(value)


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    """A text field; empty means not given, as a form sends an empty input."""
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise UsageError(f"--{name.replace('_', '-')} must be text")
    return value if value.strip() else None


def _count(value: Any) -> int:
    """The refusals never quote what was typed: a name typed in the wrong field is personal data."""
    if value is None or value == "":
        return DEFAULT_OPTIONS.count
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise UsageError("--count must be a whole number")
    try:
        return int(value)
    except ValueError:
        raise UsageError("--count must be a whole number") from None


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError("--date is not a date", hint="use YYYY-MM-DD") from None


#: What a link back to the page may fill in for a leaflet made again: what was chosen, never
#: what was typed (a name in a URL would stay in the browser's history and the server's logs).
REPRINT_FIELDS = ("leaflet", "lang", "edition", "paper", "directions", "count", *TIMES)


def reprint_fields(fields: Mapping[str, Any]) -> dict[str, str]:
    """The page's form filled from a link of the print history (``/?leaflet=...``)."""
    return {name: str(fields[name])[:100] for name in REPRINT_FIELDS if fields.get(name)}


def history_filter(fields: Mapping[str, Any], leaflets: list[str], languages: list[str],
                   limit: int) -> tuple[Filter, list[str]]:
    """The history page's filters (``?leaflet=diazepam&lang=ar&since=2026-03-01&until=...``),
    and every refusal at once: an unknown medicine or language, a date that is not one."""
    problems = []
    leaflet, lang = _text(fields, "leaflet"), _text(fields, "lang")
    if leaflet is not None and leaflet not in leaflets:
        problems.append(f"unknown medicine '{leaflet[:40]}' (one of: {', '.join(leaflets)})")
    if lang is not None and lang not in languages:
        problems.append(f"unknown language '{lang[:20]}' (one of: {', '.join(languages)})")
    days: dict[str, dt.date | None] = {}
    for name, label in (("since", "From"), ("until", "To")):
        try:
            days[name] = _date(_text(fields, name))
        except UsageError:
            problems.append(f"{label}: '{str(fields[name])[:20]}' is not a date (use YYYY-MM-DD)")
    query = Filter(leaflet if leaflet in leaflets else None, lang if lang in languages else None,
                   days.get("since"), days.get("until"), limit)
    return query, problems
