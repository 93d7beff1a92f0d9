"""Render a leaflet to HTML: ``Leaflet`` + ``Translations`` -> print-ready HTML.

The third stage of the pipeline. The Jinja templates in ``templates/`` lay
out the page; every word they show comes through ``pgettext`` here, so the
catalogs hold all visible text. Translations are untrusted: they are escaped,
and only the inline markup of ``markup.py`` becomes tags.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from .catalogs import Translations
from .content import Block, Leaflet
from .errors import CatalogProblems, TemplateProblem
from .languages import Language
from .markup import to_html
from .project import Project

TEMPLATE = "leaflet.html"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}

#: CLDR numbering systems -> CSS counter styles WeasyPrint ships, for page and list numbers.
COUNTER_STYLES = {
    "latn": "decimal", "arab": "arabic-indic", "arabext": "persian", "beng": "bengali",
    "deva": "devanagari", "mymr": "myanmar",
}

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Page:
    """What the template needs besides the text: paper, direction, fonts, edition."""

    paper: str = "a4"
    draft: bool = False
    font_families: list[str] = field(default_factory=list)
    large_print: bool = False
    bilingual: bool = False


class Renderer:
    """The gettext functions the templates call, bound to one language's translations."""

    def __init__(self, translations: Translations, lang: Language, draft: bool) -> None:
        self.translations = translations
        self.lang = lang
        self.draft = draft
        self.untranslated: list[tuple[str | None, str]] = []

    def pgettext(self, context: str | None, msgid: str, **values: Any) -> Markup:
        text = self.translations.lookup(context, msgid)
        if text is None:
            return self._fallback(context, msgid, values)
        html = substitute(to_html(text), values)
        return keep_words(html) if self.lang.keep_words else html

    def npgettext(self, context: str | None, singular: str, plural: str, count: int) -> Markup:
        """A count with the plural form the language's catalog picks, in the locale's digits."""
        text = self.translations.lookup_plural(context, singular, plural, count)
        values = {"count": self.number(count)}
        if text is None:
            return self._fallback(context, singular if count == 1 else plural, values)
        html = substitute(to_html(text), values)
        return keep_words(html) if self.lang.keep_words else html

    def gettext(self, msgid: str, **values: Any) -> Markup:
        return self.pgettext(None, msgid, **values)

    def block(self, block: Block) -> Markup:
        return self.pgettext(block.id, block.text)

    def _fallback(self, context: str | None, msgid: str, values: dict[str, Any]) -> Markup:
        self.untranslated.append((context, msgid))
        if not self.draft:
            raise CatalogProblems([], f"no translation for '{context}' in '{self.lang.code}'")
        english = substitute(to_html(msgid), values)
        return Markup('<span class="untranslated" lang="en" dir="ltr">{}</span>').format(english)

    def plain(self, context: str | None, msgid: str, **values: Any) -> str:
        """The translation as plain text, for CSS strings and PDF metadata."""
        text = self.translations.lookup(context, msgid)
        if text is None:
            self._fallback(context, msgid, values)
            text = msgid
        return fill(text, values)

    def number(self, value: int) -> str:
        return self.digits(format_decimal(value, locale=self.lang.locale, numbering_system="default"))

    def month_year(self, date: dt.date) -> str:
        return self.digits(format_skeleton("yMMMM", date, locale=self.lang.locale))

    def date(self, value: dt.date) -> str:
        return self.digits(format_skeleton("yMMMd", value, locale=self.lang.locale))

    def digits(self, text: str) -> str:
        """Babel formats dates and numbers with Latin digits; write them in the locale's own."""
        return self.lang.native_digits(text)


#: Between two letters of one word (not across spaces or tags).
_INSIDE_WORD = re.compile(r"(?<=[^\s<>])(?=[^\s<>])")
WORD_JOINER = "\u2060"


def keep_words(html: Markup) -> Markup:
    """Join the letters of each word with U+2060 so lines break only at spaces.

    WeasyPrint has no ``word-break: keep-all``; the joiner is invisible and
    drawn as no glyph, and costs nothing in layout (a span per word tripled it)."""
    parts = re.split(r"(<[^>]*>)", str(html))
    for i in range(0, len(parts), 2):
        parts[i] = _INSIDE_WORD.sub(WORD_JOINER, parts[i])
    return Markup("".join(parts))


def fill(text: str, values: dict[str, Any], quote: Callable[[Any], str] = str) -> str:
    """Fill ``{name}`` placeholders; a value ending in '.' (Russian dates end in "г.")
    absorbs the full stop the sentence puts after it."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return quote(values[name]) if name in values else match.group(0)

    filled, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        piece = value(match)
        filled += [text[last:match.start()], piece]
        last = match.end()
        if piece.endswith(".") and text.startswith(".", last):
            last += 1
    return "".join(filled) + text[last:]


def substitute(html: Markup, values: dict[str, Any]) -> Markup:
    """Fill placeholders after escaping, so values stay text too."""
    return Markup(fill(str(html), values, lambda v: str(escape(v))))


def css_string(text: str) -> str:
    """A CSS string literal that no translation can break out of."""
    out = []
    for char in text:
        if char.isalnum() or char in " .,:;!?()-'/%+" or ord(char) > 0x7F and char.isprintable():
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def css_content(text: str, counters: dict[str, str]) -> Markup:
    """A CSS ``content`` value: text with ``{page}``-style placeholders made into counters."""
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) in counters:
            parts += [css_string(text[last:match.start()]), counters[match.group(1)]]
            last = match.end()
    parts.append(css_string(text[last:]))
    return Markup(" ".join(p for p in parts if p != '""') or '""')


def environment(project: Project) -> jinja2.Environment:
    return _environment(project.templates_dir)


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: Path) -> jinja2.Environment:
    """One environment per template folder: compiled templates are reused across
    languages, and Jinja recompiles a template whose file changed (auto_reload)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        auto_reload=True,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


def render_html(project: Project, leaflet: Leaflet, lang: Language, renderer: Renderer, page: Page,
                extra: dict[str, Any] | None = None) -> str:
    env = environment(project)
    counter = COUNTER_STYLES.get(lang.numbering_system, "decimal")
    context = {
        "leaflet": leaflet,
        "lang": lang,
        "page": page,
        "paper_size": PAPER_SIZES[page.paper],
        "counter_style": counter,
        "counter": lambda name: f"counter({name}, {counter})",
        "css_content": css_content,
        "_": renderer.gettext,
        "gettext": renderer.gettext,
        "pgettext": renderer.pgettext,
        "npgettext": renderer.npgettext,
        "plain": renderer.plain,
        "block": renderer.block,
        "number": renderer.number,
        "month_year": renderer.month_year,
        "format_date": renderer.date,
        **(extra or {}),
    }
    try:
        return env.get_template(TEMPLATE).render(context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"template '{exc.name}' not found", path=project.templates_dir / str(exc.name),
                              hint="restore it from the repository") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template syntax error: {exc.message}", path=exc.filename or TEMPLATE,
                              line=exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"template error: {exc.message}", path=project.templates_dir / TEMPLATE) from None
