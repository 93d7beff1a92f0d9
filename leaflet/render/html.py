"""Render a localized leaflet to HTML: ``LocalizedLeaflet`` -> print-ready HTML.

The print edition's stage after ``leaflet.localized``. The Jinja templates in
``templates/`` lay out the page; every word they show is a sentence of the
localized leaflet (the frame's through ``pgettext``, which extraction reads
from the templates), so the catalogs hold all visible text. Translations are untrusted: they are escaped,
and only the inline markup of ``markup.py`` becomes tags. Values (names,
addresses, phone numbers, dates, counts) are isolated in ``<bdi dir>`` so they
read as typed in every direction, as is every Latin word or number in
right-to-left text; medicine names are marked so they are never hyphenated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html as html_lib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from leaflet.errors import TemplateProblem
from leaflet.files import write_atomic
from leaflet.languages import SOURCE_LANGUAGE, Language, language
from leaflet.localized import LocalizedLeaflet, Sentence
from leaflet.project import Project
from leaflet.render.options import PAPER_SIZES
from leaflet.source.markup import strip_markup, to_html

TEMPLATE = "leaflet.html"

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Page:
    """What the template needs besides the text: paper, direction, fonts, edition."""

    paper: str = "a4"
    draft: bool = False
    font_families: list[str] = field(default_factory=list)
    #: After the language's own: the fonts of other scripts that draw what was typed (``fonts.fallback_fonts``).
    fallback_families: list[str] = field(default_factory=list)
    large_print: bool = False
    bilingual: bool = False


class Renderer:
    """The localized leaflet (``leaflet.localized``) as HTML: each sentence's markup made into
    tags and shaped for the page, and the template's gettext calls answered from its frame."""

    def __init__(self, leaflet: LocalizedLeaflet) -> None:
        self.leaflet = leaflet
        self.lang = leaflet.lang
        self.names = leaflet.names  # medicine names, never hyphenated (content/names.toml)

    def pgettext(self, context: str | None, msgid: str, **values: Any) -> Markup:
        """The template's frame sentences, extracted from it into the frame's catalog."""
        return self.sentence(self.leaflet.frame_sentence(context or "", msgid), **values)

    def sentence(self, sentence: Sentence, **values: Any) -> Markup:
        return sentence_html(sentence, self.lang, self.names, **values)

    def block(self, sentence: Sentence) -> Markup:
        return self.sentence(sentence)

    def english(self, sentence: Sentence) -> Markup:
        """The English of a sentence, for the bilingual edition's other column."""
        return shape(to_html(sentence.source), language(SOURCE_LANGUAGE), self.names)

    def directions(self) -> Markup | None:
        """The standard directions, each dose in the form its count takes, in the locale's digits."""
        found = self.leaflet.directions
        return self.sentence(found.sentence, **found.values(self.number)) if found is not None else None

    def plain(self, context: str | None, msgid: str, **values: Any) -> str:
        """The translation as plain text, for PDF metadata and alternative text."""
        found = self.leaflet.frame_sentence(context or "", msgid)
        return fill(found.text if found.text is not None else found.source, values)

    def plain_text(self, sentence: Sentence) -> str:
        """A sentence of the leaflet as plain text (the document's title)."""
        return strip_markup(sentence.text if sentence.text is not None else sentence.source)

    def number(self, value: int) -> str:
        return number(value, self.lang)

    def month_year(self, date: dt.date) -> str:
        return self.lang.native_digits(format_skeleton("yMMMM", date, locale=self.lang.locale))

    def date(self, value: dt.date) -> str:
        return format_day(value, self.lang)


def sentence_html(sentence: Sentence, lang: Language, names: tuple[str, ...] = (), **values: Any) -> Markup:
    """A sentence as the page prints it: its markup as tags, shaped, its placeholders filled.
    A draft's missing translation prints the English, marked."""
    if sentence.text is None:
        english = substitute(to_html(sentence.source), values)
        return Markup('<span class="untranslated" lang="en" dir="ltr">{}</span>').format(english)
    return substitute(shape(to_html(sentence.text), lang, names), values)


def shape(html: Markup, lang: Language, names: tuple[str, ...] = ()) -> Markup:
    """What the page needs beyond the words: medicine names and identifiers kept whole, Latin
    words and numbers isolated in right-to-left text, Korean words joined. Works on the text
    between tags, never on the escaped HTML, and leaves placeholders for ``substitute``."""
    if names:
        html = on_text(html, functools.partial(mark_names, names=names))
    html = on_text(html, mark_codes)
    if lang.direction == "rtl":
        html = on_text(html, isolate_ltr_runs)
    return keep_words(html) if lang.keep_words else html


def number(value: int, lang: Language) -> str:
    """Babel formats with Latin digits; written in the locale's own."""
    return lang.native_digits(format_decimal(value, locale=lang.locale, numbering_system="default"))


def format_day(value: dt.date, lang: Language) -> str:
    return lang.native_digits(format_skeleton("yMMMd", value, locale=lang.locale))


_TAG = re.compile(r"(<[^>]*>)")
#: A ``{placeholder}`` (one unit: never split, never changed) or one character.
_UNIT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|.", re.DOTALL)
WORD_JOINER = "\u2060"
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def on_text(html: Markup, change: Callable[[str], Markup]) -> Markup:
    """Apply ``change`` to the text between tags, unescaped, so it sees what the reader
    sees (``O'Brien``, not ``O&#39;Brien``); what it returns must be escaped again."""
    parts = _TAG.split(str(html))
    for i in range(0, len(parts), 2):
        parts[i] = str(change(html_lib.unescape(parts[i]))) if parts[i] else ""
    return Markup("".join(parts))


def keep_words(html: Markup) -> Markup:
    """Join the letters of each word with U+2060 so lines break only at spaces.

    WeasyPrint has no ``word-break: keep-all``; the joiner is invisible and
    drawn as no glyph, and costs nothing in layout (a span per word tripled it).
    A word goes on across tags (``<span>``) and a placeholder is one letter of it."""
    parts, previous = _TAG.split(str(html)), " "
    for i in range(0, len(parts), 2):
        joined = []
        for unit in _UNIT.findall(html_lib.unescape(parts[i])):
            if not previous.isspace() and not unit.isspace():
                joined.append(WORD_JOINER)
            joined.append(str(escape(unit)))
            previous = unit
        parts[i] = "".join(joined)
    return Markup("".join(parts))


def direction_of(text: str) -> str:
    """``ltr`` or ``rtl`` from the first strong character, as HTML's ``dir="auto"`` does
    (WeasyPrint does not implement ``dir="auto"``); text without one (digits) is ``ltr``."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def isolate(value: Any) -> Markup:
    """A value as typed, in a ``<bdi>`` with its own direction, so the text around it
    cannot reorder it: ``+1 555 0100`` stays that in an Arabic sentence."""
    text = escape(value)
    return Markup('<bdi dir="{}">{}</bdi>').format(direction_of(html_lib.unescape(str(text))), text)


def unbroken(text: str) -> str:
    """No line break inside: a date in the footer stays on one line."""
    return text.replace(" ", "\u00a0")


def isolate_text(value: Any) -> str:
    """``isolate`` for the CSS strings of the footer, which hold no markup:
    U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE."""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"


#: Inside a left-to-right run of right-to-left text: spaces and the punctuation of
#: "12 River Street, Springfield", "2.5", "10:00" (not brackets, which belong to the sentence).
_RUN_INSIDE = set(" \u00a0.,:;/-+&'\u2019\u2013\u066b\u066c()")


#: A run of right-to-left letters (and the digits, spaces and punctuation between them).
_RTL_LETTER = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL_RUN = re.compile(rf"[{_RTL_LETTER}](?:[{_RTL_LETTER}0-9\u0660-\u0669\u06f0-\u06f9 .,:;()'\u060c\u061b\u061f-]*"
                      rf"[{_RTL_LETTER}])?")


def isolate_ltr_runs(text: str, *, sentences: bool = False) -> Markup:
    """Every run of Latin-script words and numbers in right-to-left text in its own
    ``<bdi dir="ltr">``: reads left to right as written, and is not reordered by the
    sentence around it. Placeholders are left as they are. ``sentences``: a run that starts a
    sentence keeps the full stop that ends it (typed text: "Take with water." is an English
    sentence, its full stop on its right)."""
    units = _UNIT.findall(text)
    kinds = "".join(_run_kind(unit) for unit in units)
    out, last = [], 0
    for match in _LTR_RUN.finditer(kinds):
        end = match.end()
        if sentences and end < len(units) and units[end] in _SENTENCE_END and _starts_sentence(units, match.start()):
            end += 1
        out += [str(escape("".join(units[last:match.start()]))),
                '<bdi dir="ltr">', str(escape("".join(units[match.start():end]))), "</bdi>"]
        last = end
    out.append(str(escape("".join(units[last:]))))
    return Markup("".join(out))


_SENTENCE_END = set(".!?")
#: A run of Latin words and numbers (``L``) in the kinds of ``_run_kind``, or of numbers in the
#: language's own digits (``N``). Such a number may lead a Latin run ("۲.۵ mg") but never follows
#: Latin words in one: in "Take with water. ۲.۵ را بخورید" the ۲.۵ belongs to the Persian sentence.
_LTR_RUN = re.compile(r"\+?(?:N(?:[Ni+]*N)?i*)?L(?:[Li+]*L)?|\+?N(?:[Ni+]*N)?")


def _starts_sentence(units: list[str], start: int) -> bool:
    before = "".join(units[:start]).rstrip()
    return not before or before[-1] in ".!?\u061f\u06d4"


def isolate_rtl_runs(text: str) -> Markup:
    """Every run of right-to-left words (Arabic, Hebrew script) in left-to-right text in its
    own ``<bdi dir="rtl">``: an Arabic phrase typed in a Spanish leaflet reads as written."""
    out, last = [], 0
    for match in _RTL_RUN.finditer(text):
        out += [str(escape(text[last:match.start()])), '<bdi dir="rtl">', str(escape(match.group())), "</bdi>"]
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def typed_html(text: str, lang: Language) -> Markup:
    """What the pharmacist typed, printed as typed in the leaflet's direction: each web or
    e-mail address and phone number kept whole and left to right (without it, "+44 (0)20 7946
    0958" printed in an Arabic leaflet as "0958 7946 20(0) 44+", and a URL's last "/" moved to
    its front), then each run of the other direction isolated, so a dose with its unit or a
    time reads as written in its place."""
    def isolate_runs(part: str) -> Markup:
        return isolate_ltr_runs(part, sentences=True) if lang.direction == "rtl" else isolate_rtl_runs(part)

    out, last = [], 0
    for match in _TYPED_VALUE.finditer(text):
        out += [str(isolate_runs(text[last:match.start()])), _typed_value(match)]
        last = match.end()
    out.append(str(isolate_runs(text[last:])))
    return Markup("".join(out))


#: A web address, an e-mail address or a phone number (7 digits or more, with its extension; in
#: any script's digits: "۰۹۱۲ ۳۴۵ ۶۷۸۹" in a Persian leaflet reads left to right too).
_TYPED_VALUE = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]])"
    r"|(?P<email>\b[A-Za-z0-9_.+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)"
    r"|(?P<phone>\+?\(?\d[\d ()\-.]{5,}\d(?:\s*(?:ext\.?|x)\s*\d+)?)", re.IGNORECASE)


def _typed_value(match: re.Match[str]) -> str:
    """A URL breaks only after a "/" of its path; a phone number or an e-mail address never."""
    if match.group("url"):
        scheme, sep, rest = match.group().partition("://")
        head, parts = (scheme + sep, rest.split("/")) if sep else ("", match.group().split("/"))
        url = str(escape(head)) + "/<wbr>".join(str(escape(part)) for part in parts)
        return f'<bdi dir="ltr" class="code url">{url}</bdi>'
    return f'<bdi dir="ltr" class="code nobreak">{escape(match.group())}</bdi>'


def _run_kind(unit: str) -> str:
    if len(unit) > 1:
        return "p"  # a placeholder: its value is isolated on its own
    if unit == "+":
        return "+"
    if unicodedata.category(unit) == "Nd" and not unit.isascii():
        return "N"
    if unicodedata.bidirectional(unit) in ("L", "EN", "AN"):
        return "L"
    return "i" if unit in _RUN_INSIDE else "o"


def mark_names(text: str, names: tuple[str, ...]) -> Markup:
    """Each word that begins with a medicine name (ignoring case and accents, so
    "Diazepamul" and "diazépam" count) in a ``<span class="medicine">``, which the
    stylesheet never hyphenates."""
    folded = tuple(_fold(name) for name in names)
    words = re.finditer(r"\{[A-Za-z_][A-Za-z0-9_]*\}|\w+", text)
    return _in_spans(text, (m for m in words if not m.group().startswith("{") and _fold(m.group()).startswith(folded)),
                     "medicine")


#: An identifier: letters and digits in groups joined by "-", with a digit somewhere
#: (a DailyMed set id, "C-IV" has none and is a word).
_CODE = re.compile(r"(?<![\w-])(?=[\w-]*\d)\w+(?:-\w+)+(?![\w-])", re.ASCII)


def mark_codes(text: str) -> Markup:
    """Each identifier in a ``<span class="code">``, which the stylesheet never hyphenates:
    a set id split as "04c-c10ad" would be copied wrong. Placeholders are left as they are."""
    return _in_spans(text, _CODE.finditer(text), "code")


def _in_spans(text: str, matches: Iterable[re.Match[str]], css_class: str) -> Markup:
    """``text`` escaped, each match (in order, not overlapping) in a ``<span class>``."""
    out, last = [], 0
    for match in matches:
        span = Markup('<span class="{}">{}</span>').format(css_class, match.group())
        out += [str(escape(text[last:match.start()])), str(span)]
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).casefold()


def fill(text: str, values: dict[str, Any], quote: Callable[[Any], str] = str) -> str:
    """Fill ``{name}`` placeholders; a value ending in '.' (Russian dates end in "г.")
    absorbs the full stop the sentence puts after it."""
    filled, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1)
        filled += [text[last:match.start()], quote(values[name]) if name in values else match.group(0)]
        last = match.end()
        if name in values and str(values[name]).endswith(".") and text.startswith(".", last):
            last += 1
    return "".join(filled) + text[last:]


def substitute(html: Markup, values: dict[str, Any]) -> Markup:
    """Fill placeholders after escaping, so values stay text too; each value is isolated
    (``isolate``): names, dates, phone numbers and counts read as typed in every script."""
    return Markup(fill(str(html), values, lambda v: str(isolate(v))))


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
    """A CSS ``content`` value: text with ``{page}``-style placeholders made into counters,
    each isolated like every other number (``isolate_text``)."""
    parts, last, after = [], 0, ""
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) in counters:
            parts += [css_string(after + text[last:match.start()] + FIRST_STRONG_ISOLATE), counters[match.group(1)]]
            last, after = match.end(), POP_DIRECTIONAL_ISOLATE
    parts.append(css_string(after + text[last:]))
    return Markup(" ".join(p for p in parts if p != '""') or '""')


def environment(project: Project) -> jinja2.Environment:
    return _environment(project.templates_dir, project.cache_dir / "templates")


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: Path, compiled_dir: Path) -> jinja2.Environment:
    """One environment per template folder: compiled templates are reused across
    languages, and Jinja recompiles a template whose file changed (auto_reload).
    Compiling the print template takes longer than importing leaflet, so the compiled
    code is kept on disk for the next process, keyed by the template's checksum."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=_CompiledTemplates(compiled_dir),
        auto_reload=True,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's file cache, written as every file here is written (whole, never through a
    link). Only a speed-up: a cache that cannot be read or written compiles again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._path(bucket)
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                bucket.bytecode_from_string(path.read_bytes())

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            write_atomic(self._path(bucket), bucket.bytecode_to_string())


def fill_template(project: Project, renderer: Renderer, page: Page, extra: dict[str, Any] | None = None) -> str:
    env = environment(project)
    leaflet = renderer.leaflet
    counter = leaflet.numbering
    context = {
        "leaflet": leaflet,
        "lang": leaflet.lang,
        "page": page,
        "paper_size": PAPER_SIZES[page.paper],
        "counter_style": counter,
        "counter": lambda name: f"counter({name}, {counter})",
        "css_content": css_content,
        "pgettext": renderer.pgettext,
        "plain": renderer.plain,
        "plain_text": renderer.plain_text,
        "isolate_text": isolate_text,
        "unbroken": unbroken,
        "isolate": isolate,
        "typed": lambda value: typed_html(str(value), renderer.lang),
        "block": renderer.block,
        "english": renderer.english,
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
