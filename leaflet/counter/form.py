"""The counter page's form -> the fields the API takes, or every problem with them at once.

Takes the fields the page sends (the API's, with the date as three fields: day,
month and year) and gives the API's fields, or ``FormProblems``: every field
that the build would refuse, each with the sentence the page shows beside it
(marked with ``page_text``, so it is translated with the page) and, where the
page has no sentence of its own, the library's words. The checks are the
library's (``find_medicine``, ``find_language``, the build's gate,
``resolve_edition``), each asked about one field, so the form is refused for
the same reasons a build is, all of them in one answer. ``form_view`` gives
what the page shows about the form: the problems by field, the language that
was matched, and the date's three fields.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflet.counter.fields import PERSONAL_FIELDS, STOCK_FIELDS, personal_options
from leaflet.counter.offer import LanguageChoice, find_medicine, medicines, unavailable_reason
from leaflet.counter.page_language import PageText, page_text
from leaflet.errors import LeafletError, UsageError
from leaflet.languages import SOURCE_LANGUAGE, find_language, language, similar_languages
from leaflet.project import Project
from leaflet.render.edition import resolve_edition
from leaflet.render.options import EARLIEST_DATE, MAX_PERSONAL_TEXT
from leaflet.source.directions import TIMES

#: The date as the page asks for it, in the order its language writes one.
DATE_PARTS = {"day": "date_day", "month": "date_month", "year": "date_year"}

MISSING_MEDICINE = page_text("problem.medicine.missing", "Type the medicine's name.")
UNKNOWN_MEDICINE = page_text("problem.medicine.unknown",
                             "There is no leaflet for “{typed}”. The leaflets are: {medicines}.")
MISSING_LANGUAGE = page_text("problem.language.missing", "Type the patient's language.")
UNKNOWN_LANGUAGE = page_text(
    "problem.language.unknown",
    "No language is called “{typed}”. Type its name in English or in the language itself, or choose it "
    "from the list.")
# Translators: {languages} is one or more languages, each as "Arabic — العربية".
CLOSE_LANGUAGE = page_text("problem.language.close", "No language is called “{typed}”. Did you mean {languages}?")
# Translators: the reason follows, in English, as the build gives it.
UNAVAILABLE_LANGUAGE = page_text("problem.language.unavailable", "{language} cannot be printed now.")
NO_DIRECTIONS = page_text("sentence.no-directions",
                          "Give the counts at times of day, or choose other standard directions, to see the "
                          "sentence the patient will read.")
DOSE_PROBLEM = page_text("problem.dose",
                         "Type the number at this time of day as a whole number from 1 to 999, or leave it empty.")
NO_SUCH_DATE = page_text("problem.date.invalid", "There is no such date: check the day, the month and the year.")
#: A sentence per field, for what the build refuses in it.
FIELD_PROBLEMS: dict[str, PageText] = {
    "patient": page_text("problem.patient",
                         "Type the name again: at most {most} characters, without invisible or control "
                         "characters."),
    "free_directions": page_text("problem.free-directions",
                                 "Type the free directions again: at most {most} characters, without invisible "
                                 "or control characters."),
    "count": page_text("problem.count", "Type the number of doses as a whole number from 1 to 999."),
    "date": page_text("problem.date.range", "Choose a dispensing date from {earliest} to {latest}."),
    "directions": page_text("problem.directions", "Choose the directions from the list."),
    "edition": page_text("problem.edition",
                         "Choose one of the editions; the bilingual one is for languages other than English."),
    "paper": page_text("problem.paper", "Choose one of the paper sizes."),
}


@dataclass(frozen=True)
class FieldProblem:
    """One field the build would refuse: which, the page's sentence about it, and the library's words."""

    name: str  # the form field's name: leaflet, lang, patient, count, date...
    text: PageText
    values: Mapping[str, object] = field(default_factory=dict)
    detail: str = ""  # the library's own words (English), where the sentence needs them

    @property
    def english(self) -> str:
        return self.text.fill(self.values) + (f" ({self.detail})" if self.detail else "")


class FormProblems(UsageError):
    """Every problem in the page's form, refused together (422, like any ``UsageError``)."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(p.english for p in problems))
        self.problems = problems


def api_fields(form: Mapping[str, Any]) -> dict[str, Any]:
    """The page's fields as the API takes them: the date's three fields as one, YYYY-MM-DD
    (all three blank: today)."""
    fields = {key: value for key, value in form.items() if key not in DATE_PARTS.values()}
    parts = {name: str(form.get(key, "")).strip() for name, key in DATE_PARTS.items()}
    if any(parts.values()):
        fields["date"] = f"{parts['year']:0>4}-{parts['month']:0>2}-{parts['day']:0>2}"
    elif any(key in form for key in DATE_PARTS.values()):
        fields.pop("date", None)
    return fields


def check_page_form(project: Project, form: Mapping[str, Any], pharmacy: Path | None) -> dict[str, Any]:
    """The API's fields, or ``FormProblems`` with every field the build would refuse."""
    fields = api_fields(form)
    leaflet, problems = _medicine(project, str(fields.get("leaflet", "")))
    code, language_problems = _language(project, str(fields.get("lang", "")), leaflet)
    problems += language_problems
    problems += _options(project, fields, leaflet, code, pharmacy)
    if problems:
        raise FormProblems(problems)
    return fields


def _medicine(project: Project, typed: str) -> tuple[str | None, list[FieldProblem]]:
    if not typed.strip():
        return None, [FieldProblem("leaflet", MISSING_MEDICINE)]
    titles = medicines(project)
    try:
        return find_medicine(project, typed, titles), []
    except LeafletError:
        return None, [FieldProblem("leaflet", UNKNOWN_MEDICINE,
                                   {"typed": typed.strip()[:60], "medicines": ", ".join(titles.values())})]


def _language(project: Project, typed: str, leaflet: str | None) -> tuple[str | None, list[FieldProblem]]:
    if not typed.strip():
        return None, [FieldProblem("lang", MISSING_LANGUAGE)]
    available = project.languages()
    try:
        code = find_language(typed, available)
    except LeafletError:
        close = similar_languages(typed, available)
        if close:
            return None, [FieldProblem("lang", CLOSE_LANGUAGE, {"typed": typed.strip()[:60],
                                                                "languages": ", ".join(map(shown_name, close))})]
        return None, [FieldProblem("lang", UNKNOWN_LANGUAGE, {"typed": typed.strip()[:60]})]
    reason = unavailable_reason(project, leaflet, code) if leaflet else ""
    if reason:
        return code, [FieldProblem("lang", UNAVAILABLE_LANGUAGE, {"language": shown_name(code)}, reason)]
    return code, []


def shown_name(code: str) -> str:
    """How the page names a language it matched: in English and in its own script."""
    info = language(code)
    return info.english_name if info.own_name == info.english_name else f"{info.english_name} — {info.own_name}"


def _options(project: Project, fields: Mapping[str, Any], leaflet: str | None, code: str | None,
             pharmacy: Path | None) -> list[FieldProblem]:
    """Each option the build takes, checked alone by the build's own ``resolve_edition``."""
    problems: list[FieldProblem] = []
    lang = code or next(iter(project.translated_languages()), SOURCE_LANGUAGE)
    if not project.leaflets():
        return problems
    for name in (*PERSONAL_FIELDS, *STOCK_FIELDS):
        value = fields.get(name)
        if value is None or value == "" or (name in ("directions", *TIMES) and leaflet is None):
            continue
        try:
            resolve_edition(project, leaflet or project.leaflets()[0], lang, personal_options({name: value}, pharmacy))
        except LeafletError as exc:
            problems.append(_option_problem(name, value, exc))
    return problems


def _option_problem(name: str, value: Any, error: LeafletError) -> FieldProblem:
    if name == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return FieldProblem("date", NO_SUCH_DATE)
        return FieldProblem("date", FIELD_PROBLEMS["date"], {"earliest": EARLIEST_DATE,
                                                            "latest": dt.date.today() + dt.timedelta(days=366)})
    if name in TIMES:
        return FieldProblem(name, DOSE_PROBLEM, detail=str(error))
    return FieldProblem(name, FIELD_PROBLEMS[name], {"most": MAX_PERSONAL_TEXT})


# -- what the page shows about the form ------------------------------------------------------

def form_view(project: Project, values: Mapping[str, str], choices: list[LanguageChoice],
              error: LeafletError | None) -> dict[str, Any]:
    """The problems by field, the language that was matched, and the date's three fields."""
    problems = error.problems if isinstance(error, FormProblems) else []
    by_field: dict[str, list[FieldProblem]] = {}
    for problem in problems:
        by_field.setdefault(problem.name, []).append(problem)
    return {"problems": problems, "field_problems": by_field,
            "found": _found(project, values.get("lang", ""), choices),
            "date_parts": _date_parts(values), "today": dt.date.today()}


def _found(project: Project, typed: str, choices: list[LanguageChoice]) -> LanguageChoice | None:
    if not typed.strip():
        return None
    with contextlib.suppress(LeafletError):
        code = find_language(typed, project.languages())
        return next((choice for choice in choices if choice.code == code), None)
    return None


def _date_parts(values: Mapping[str, str]) -> dict[str, str]:
    """As typed, or the ISO date's (today's by default) when the page was not sent yet."""
    if any(key in values for key in DATE_PARTS.values()):
        return {name: values.get(key, "") for name, key in DATE_PARTS.items()}
    try:
        day = dt.date.fromisoformat(values.get("date", ""))
    except ValueError:
        day = dt.date.today()
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
