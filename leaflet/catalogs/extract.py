"""The English as gettext templates: content, print templates and the counter's page -> ``.pot`` per domain.

``extract`` writes one template per domain (``frame`` for the print templates shared by
every leaflet, one per leaflet for its content, ``directions``, and ``counter`` for the
counter's page: ``templates/counter/`` and the strings its Python marks with ``page_text``)
with Babel's extractors; ``extract_messages`` gives a domain's entries, cached until a
source file changes; ``extract_templates`` and ``extract_page_marks`` are the Babel
extractors for our Jinja templates and page strings (``pybabel`` uses them).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jinja2
import polib
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file, extract_python

from leaflet import __version__
from leaflet.catalogs.pofile import (
    read_catalog,
    write_catalog,
)
from leaflet.errors import ContentError, TemplateProblem
from leaflet.project import COUNTER_DOMAIN, COUNTER_PACKAGE, COUNTER_TEMPLATES, DIRECTIONS_DOMAIN, FRAME_DOMAIN, Project
from leaflet.source.content import extract_babel
from leaflet.source.directions import extract_babel as extract_directions
from leaflet.verdicts import file_sha256

COMMENT_TAGS = ("Translators:",)
#: Gettext's keywords plus the templates' ``plain(context, text)``, which gives plain text for CSS and metadata.
KEYWORDS = {**DEFAULT_KEYWORDS, "plain": ((1, "c"), 2)}
_TEMPLATE_METHODS = [(f"{COUNTER_TEMPLATES}/**", "ignore"), ("**.html", "jinja2"), ("**.css", "ignore")]
#: The counter's page is its own domain: translated for the staff, never printed.
_PAGE_METHODS = [("**.html", "jinja2"), ("**.css", "ignore"), ("**.js", "ignore")]
#: What the counter's Python calls to mark a string its page shows: ``page_text(context, text)``.
PAGE_MARK = "page_text"
_TEMPLATE_OPTIONS = {"**.html": {"silent": "false", "trimmed": "true"}}


@dataclass(frozen=True)
class Extracted:
    msgid: str
    context: str | None
    comments: tuple[str, ...]
    locations: tuple[tuple[str, int], ...]
    msgid_plural: str | None = None


#: What Babel's ``extract_from_file`` and ``extract_from_dir`` give, with the file name:
#: (filename, lineno, message or (singular, plural), comments, context).
_Found = tuple[str, int, str | tuple[str, ...], list[str], str | None]

# -- extraction ---------------------------------------------------------------

def extract_templates(
    fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any],
) -> Iterator[tuple[int, str, str | None | tuple[str | None, ...], list[str]]]:
    """Babel extraction method ``leaflet_templates``: Jinja's, with our settings built in, so
    ``pybabel extract -F babel.cfg -o messages.pot .`` finds every string and translator
    comment as typed, without ``-k plain:1c,2`` or ``-c Translators:``. ``plain(context,
    text)`` is handed to Babel as the ``pgettext`` it is, which Babel always knows."""
    from jinja2.ext import babel_extract

    settings = {"silent": "false", "trimmed": "true", **options}
    tags = tuple(comment_tags) or COMMENT_TAGS
    for line, function, message, comments in babel_extract(fileobj, [*keywords, "plain"], tags, settings):
        comments = [c.split(":", 1)[1].strip() if c.startswith(COMMENT_TAGS) else c for c in comments]
        yield line, "pgettext" if function == "plain" else function, message, comments


def extract_page_marks(
    fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any],
) -> Iterator[tuple[int, str, str | None | tuple[str | None, ...], list[str]]]:
    """Babel extraction method ``leaflet_page_marks``: the strings a Python module of the counter
    marks with ``page_text(context, text)`` for its page, handed to Babel as the ``pgettext``
    they are; nothing else in the module (no ``_()``) is taken."""
    tags = tuple(comment_tags) or COMMENT_TAGS
    found: Iterator[tuple[Any, ...]] = extract_python(fileobj, {PAGE_MARK: ((1, "c"), 2)}, tags, cast(Any, options))
    for line, _function, message, comments in found:
        notes = [c.split(":", 1)[1].strip() if c.startswith(COMMENT_TAGS) else c for c in comments]
        yield line, "pgettext", message, notes


def extract(project: Project) -> list[Path]:
    """Rewrite every ``.pot``; a template whose messages did not change is left as it is."""
    written = []
    for domain in project.template_domains():
        entries = extract_messages(project, domain)
        path = project.pot_file(domain)
        if _template_changed(path, entries):
            write_catalog(_template(domain, entries), path)
            written.append(path)
        elif write_catalog(read_catalog(path).po, path):  # same messages, only gettext's layout
            written.append(path)
    return written


def extract_messages(project: Project, domain: str) -> list[Extracted]:
    """The messages the English has now; cached by the source files' digests."""
    sources = project.domain_sources(domain)
    for path in sources:  # Babel would wait forever on a FIFO
        if path.exists() and not path.is_file():
            raise ContentError("not a regular file", path=path, hint="a source file is a text file")
    stamp = tuple((str(p), file_sha256(p)) for p in sources)
    return list(_extract_cached(project, domain, stamp))


@functools.lru_cache(maxsize=64)
def _extract_cached(project: Project, domain: str, stamp: tuple[tuple[str, int, int], ...]) -> tuple[Extracted, ...]:
    return tuple(_extract_domain(project, domain))


def _extract_domain(project: Project, domain: str) -> list[Extracted]:
    root = project.root
    results: list[_Found]
    # Babel types an extraction method as yielding what extract_from_file gives (lineno, message,
    # comments, context), not the (lineno, funcname, message, comments) its methods yield: hence the ignores.
    if domain == DIRECTIONS_DOMAIN:
        path = project.directions_file
        found = extract_from_file(extract_directions, path, keywords=KEYWORDS)  # type: ignore[arg-type]
        results = [(str(path.relative_to(root)), *rest) for rest in found]
    elif domain == FRAME_DOMAIN:
        results = _from_templates(project.templates_dir, "templates", _TEMPLATE_METHODS)
    elif domain == COUNTER_DOMAIN:
        results = _from_templates(project.templates_dir / COUNTER_TEMPLATES, f"templates/{COUNTER_TEMPLATES}",
                                  _PAGE_METHODS)
        for path in sorted(COUNTER_PACKAGE.glob("*.py")):
            found = extract_from_file(extract_page_marks, path, keywords=KEYWORDS,  # type: ignore[arg-type]
                                      comment_tags=COMMENT_TAGS, strip_comment_tags=True)
            results += [(f"leaflet/{COUNTER_PACKAGE.name}/{path.name}", *rest) for rest in found]
    else:
        path = project.content_file(domain)
        found = extract_from_file(extract_babel, path, keywords=KEYWORDS)  # type: ignore[arg-type]
        results = [(str(path.relative_to(root)), *rest) for rest in found]
    return _merge_locations(results)


def _from_templates(folder: Path, shown_as: str, methods: list[tuple[str, str]]) -> list[_Found]:
    """The messages of a folder of Jinja templates, each at ``shown_as/<name>``."""
    in_dir = extract_from_dir(folder, methods, _TEMPLATE_OPTIONS,
                              keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True)
    try:
        return [(f"{shown_as}/{name}", line, message, comments, context)
                for name, line, message, comments, context in in_dir]
    except jinja2.TemplateSyntaxError as exc:  # the build's own message, from the first stage that reads it
        raise TemplateProblem(f"template syntax error: {exc.message}",
                              path=folder / (exc.name or exc.filename or "leaflet.html"), line=exc.lineno) from None


def _merge_locations(results: list[_Found]) -> list[Extracted]:
    merged: dict[tuple[str | None, str], Extracted] = {}
    for filename, lineno, message, comments, context in results:
        msgid, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
        key = (context, msgid)
        before = merged.get(key)
        locations = (before.locations if before else ()) + ((filename, lineno),)
        notes = tuple(dict.fromkeys((before.comments if before else ()) + tuple(comments)))
        merged[key] = Extracted(msgid, context, notes, locations, plural)
    return list(merged.values())


def _template(domain: str, entries: list[Extracted]) -> polib.POFile:
    pot = polib.POFile()
    pot.header = f"Translation template for the leaflet domain '{domain}'."
    pot.metadata = {
        "Project-Id-Version": f"leaflet {domain}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Generated-By": f"leaflet {__version__}",
    }
    for item in entries:
        pot.append(_template_entry(item))
    return pot


def _template_entry(item: Extracted) -> polib.POEntry:
    entry = polib.POEntry(msgctxt=item.context, msgid=item.msgid, msgstr="",
                          comment="\n".join(item.comments), occurrences=list(item.locations))
    if item.msgid_plural:
        entry.msgid_plural = item.msgid_plural
        entry.msgstr_plural = {0: "", 1: ""}
    if "{" in item.msgid:
        entry.flags.append("python-brace-format")
    return entry


def _template_changed(path: Path, entries: list[Extracted]) -> bool:
    if not path.exists():
        return True
    old = read_catalog(path)
    before = [(e.msgctxt, e.msgid, e.msgid_plural or None, " ".join(e.comment.split()), e.occurrences)
              for e in old.entries()]
    after = [(i.context, i.msgid, i.msgid_plural, " ".join(" ".join(i.comments).split()),
              [(f, str(n)) for f, n in i.locations]) for i in entries]
    return before != after


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
