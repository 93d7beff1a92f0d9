"""``leaflet check --gettext``: a catalog that is not leaflet's text, checked as gettext checks it.

Plain ``leaflet check`` is the gate of what a patient reads: it refuses an untranslated or
fuzzy entry, a Plural-Forms that is not CLDR's (the leaflet prints counts by CLDR's rules),
a placeholder lost from any entry, with or without a format flag, a number changed,
a copied sentence. A catalog from another project (Django's, Plone's, a library's) is
not written for that gate: most such files have untranslated and fuzzy entries by design,
keep an older plural rule on purpose, or use ``%`` as a plain percent sign in an entry
without ``python-format``. For them the question is gettext's own: would ``msgfmt -c``
compile it?

That question has one authority, GNU msgfmt, whose ``-c`` checks the syntax, the header,
the plural forms and the format strings of each of the thirty-odd languages gettext knows
(``c-format``, ``python-format``, ``python-brace-format``, ``java-format``...), with its own
relaxations (a plural form used for one number may drop the placeholder). Rather than a
second implementation that could drift from it, this mode asks msgfmt, as
``pofile.read_catalog`` already does for the syntax: a file is refused exactly when
``msgfmt -c`` refuses it (``scripts/any_catalog.py`` measures it over real catalogs), and
every message msgfmt gives is printed as leaflet prints its problems, by file and line,
with the check it belongs to. One leaflet finding is added, as a warning that never
refuses: bytes that msgfmt compiles but that would print wrongly (a file stored in UTF-8
under a declared ISO-8859-1 shows "CafÃ©" for "Café").
"""

from __future__ import annotations

import re
from pathlib import Path

from leaflet.catalogs.checks import ERROR, WARNING, Problem
from leaflet.catalogs.pofile import declared_charset_problem, msgfmt_check

#: What each msgfmt message is about, by its wording (msgfmt runs under C.UTF-8: English).
_REASONS = (
    ("placeholders", re.compile(r"format (string|specification)|format directive|\bdirectives?\b", re.I)),
    ("plural-forms", re.compile(r"plural|nplurals", re.I)),
    ("header", re.compile(r"header|charset|Content-Type|Content-Transfer-Encoding", re.I)),
    ("domain", re.compile(r"domain", re.I)),
)


def reason(message: str) -> str:
    """The check a msgfmt message belongs to: placeholders, plural-forms, header, domain or syntax."""
    return next((name for name, pattern in _REASONS if pattern.search(message)), "syntax")


def check_as_gettext(path: Path) -> list[Problem]:
    """Every message of ``msgfmt -c`` on the file, errors only when msgfmt refuses it."""
    accepted, messages = msgfmt_check(path)
    # msgfmt -c refuses a file without a header with only a warning's words: then they are the reason.
    fatal_warnings = not accepted and all(m.warning for m in messages)
    problems = [Problem(path, m.line or 1, ERROR if not accepted and (fatal_warnings or not m.warning) else WARNING,
                        reason(m.text), m.text) for m in messages]
    if not accepted and not problems:
        problems.append(Problem(path, 1, ERROR, "syntax", "msgfmt -c refuses the file"))
    unreadable = declared_charset_problem(path) if accepted else None
    if unreadable is not None:
        problems.append(Problem(path, unreadable.line or 1, WARNING, "charset",
                                f"{unreadable.message}: msgfmt compiles it, but the text would print wrongly"))
    return problems
