"""The accessible HTML edition: a localized leaflet -> one self-contained web page.

For patients who read on a screen: with a screen reader, magnified, or in their own
colours. Takes the sections in the print's reading order (``reading.sections``) and
gives one HTML file that needs nothing else: its CSS inline, the system's fonts, no
script, image or address outside it. Each sentence is made into HTML by the print's
own ``sentence_html``, so markup, medicine names and isolated values are the print's
and a translation stays text. The header, the table of contents, the main text and a
footer with the pharmacy and the revision are landmarks; the title is the one ``h1``
and each section's heading an ``h2``. ``check_page`` parses the page before it is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from html.parser import HTMLParser

from markupsafe import Markup

from leaflet.editions.made import Made, Source
from leaflet.editions.reading import Block, Section, runs
from leaflet.errors import EditionFailed
from leaflet.languages import SOURCE_LANGUAGE, language
from leaflet.localized import LocalizedLeaflet, Sentence
from leaflet.render.html import WORD_JOINER, css_string, isolate, sentence_html

#: The sections the footer holds; the header is ``header``, everything else is the main text.
HEADER, FOOTER = "header", ("pharmacy", "end")
#: The notices that a translation has not been reviewed: the most prominent thing on the page.
UNREVIEWED = ("notice.unreviewed", "footer.unreviewed")
#: The frame's sentence that heads the table of contents, as in the print.
CONTENTS = "contents.heading"


def make_html(source: Source) -> Made:
    """The page's bytes, refused (``EditionFailed``) unless its own check passes."""
    page = page_html(source)
    leaflet = source.leaflet
    check_page(page, tag(leaflet), leaflet.direction, f"the HTML page of {leaflet.id} in {leaflet.lang.english_name}")
    return Made(page.encode("utf-8"))


def tag(leaflet: LocalizedLeaflet) -> str:
    """The language as HTML names it (BCP 47): ``zh-Hans``, not the catalog's ``zh_Hans``."""
    return leaflet.lang.code.replace("_", "-")


def page_html(source: Source) -> str:
    """The page, unchecked: the header's blocks, the main text's sections and the footer's."""
    leaflet, writer = source.leaflet, _Writer(source.leaflet)
    header = [s for s in source.sections if s.key == HEADER]
    footer = [s for s in source.sections if s.key in FOOTER]
    body = [s for s in source.sections if s.key != HEADER and s.key not in FOOTER]
    title = next((b.plain for s in header for b in s.blocks if b.kind == "title"), leaflet.id)
    parts = [
        Markup('<!DOCTYPE html>\n<html lang="{}" dir="{}">\n<head>\n<meta charset="utf-8">').format(
            tag(leaflet), leaflet.direction),
        Markup('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        Markup("<title>{}</title>").format(title),
        Markup("<style>\n{}</style>\n</head>\n<body>").format(Markup(stylesheet(leaflet))),
        *_landmark("header", (line for s in header for line in writer.blocks(s))),
        *_landmark("main", writer.main(body, contents=source.sections)),
        *_landmark("footer", (line for s in footer for line in writer.section(s))),
        Markup("</body>\n</html>\n"),
    ]
    return "\n".join(parts)


def _landmark(name: str, lines: Iterable[Markup]) -> list[Markup]:
    found = list(lines)
    return [Markup(f"<{name}>"), *found, Markup(f"</{name}>")] if found else []


class _Writer:
    """The sections as HTML: each block by its kind, lists and warning boxes as one element."""

    def __init__(self, leaflet: LocalizedLeaflet) -> None:
        self.leaflet = leaflet

    def main(self, sections: Sequence[Section], contents: Sequence[Section]) -> Iterator[Markup]:
        """The body's sections; the table of contents after the standard box, where the print has it."""
        box = next((i + 1 for i, s in enumerate(sections) if s.key == "box"), 0)
        for i, section in enumerate(sections):
            if i == box:
                yield from self.contents(contents)
            yield from self.section(section)
        if box == len(sections):
            yield from self.contents(contents)

    def contents(self, sections: Sequence[Section]) -> Iterator[Markup]:
        """A link to each section that has a heading, headed by the frame's sentence when it has one."""
        heading = self.leaflet.frame.get(CONTENTS)
        yield Markup('<nav aria-labelledby="contents">' if heading else "<nav>")
        if heading is not None:
            yield Markup('<h2 id="contents">{}</h2>').format(self.sentence(Block("heading", heading)))
        yield Markup('<ul class="contents">')
        for section in sections:
            if section.heading is not None:
                yield Markup('<li><a href="#{}">{}</a></li>').format(_id(section.key),
                                                                    self.sentence(section.heading))
        yield Markup("</ul>\n</nav>")

    def section(self, section: Section) -> Iterator[Markup]:
        """A ``<section>``, the target of its link in the contents. One that holds warnings or the
        patient's directions is named by its heading, so a screen reader lists it among the landmarks."""
        key = _id(section.key)
        labels = (f"{key}-{i}" for i, block in enumerate(section.blocks) if block.kind == "label")
        name = f"{key}-heading" if section.heading else next(labels, None)
        named = name and any(block.kind in ("warning", "label") for block in section.blocks)
        yield Markup('<section id="{0}" class="{0}"{1}>').format(
            key, Markup(' aria-labelledby="{}"').format(name) if named else "")
        if section.heading is not None:
            yield Markup('<h2 id="{}-heading">{}</h2>').format(key, self.sentence(section.heading))
        yield from self.blocks(section)
        yield Markup("</section>")

    def blocks(self, section: Section) -> Iterator[Markup]:
        key = _id(section.key)
        index = 0
        for run in runs(section.blocks):
            first = run[0]
            if first.kind == "item":
                yield self.list(run)
            elif first.kind == "warning":
                named = Markup(' aria-labelledby="{}-heading"').format(key) if section.heading else ""
                yield Markup('<div class="warning" role="note"{}>\n{}\n</div>').format(named, self.paragraphs(run))
            elif first.kind == "label" and section.key != HEADER:
                yield Markup('<h2 id="{}-{}">{}</h2>').format(key, index, self.sentence(first))
            else:
                yield self.block(first)
            index += len(run)

    def block(self, block: Block) -> Markup:
        if block.kind == "title":
            return Markup("<h1>{}</h1>").format(self.sentence(block))
        if block.kind == "label":
            return Markup('<p class="kicker">{}</p>').format(self.sentence(block))
        if block.kind == "notice":
            return self.notice(block)
        kind = block.sentence.kind if block.sentence is not None else block.kind
        return Markup('<p class="{}">{}</p>').format(kind, self.sentence(block))

    def notice(self, block: Block) -> Markup:
        """A notice in a box, with its English under it in a translation (as the print has it),
        so a translation cannot blank or soften it."""
        unreviewed = block.sentence is not None and block.sentence.id in UNREVIEWED
        lines = [Markup("<p>{}</p>").format(self.sentence(block))]
        if self.leaflet.lang.code != SOURCE_LANGUAGE and block.sentence is not None:
            english = self.english(block.sentence, block)
            lines.append(Markup('<p class="english" lang="en" dir="ltr">{}</p>').format(english))
        return Markup('<div class="notice{}" role="note">\n{}\n</div>').format(
            " unreviewed" if unreviewed else "", Markup("\n").join(lines))

    def list(self, items: Sequence[Block]) -> Markup:
        name = Markup("ol" if items[0].number is not None else "ul")
        lines = Markup("\n").join(Markup("<li>{}</li>").format(self.sentence(item)) for item in items)
        return Markup("<{0}>\n{1}\n</{0}>").format(name, lines)

    def paragraphs(self, blocks: Sequence[Block]) -> Markup:
        return Markup("\n").join(Markup("<p>{}</p>").format(self.sentence(block)) for block in blocks)

    def sentence(self, block: Block) -> Markup:
        """The words as the print has them; what was typed isolated as typed. The print joins the
        letters of a Korean word (U+2060) because WeasyPrint has no ``word-break: keep-all``; a
        browser has it (``stylesheet``), so the page keeps the words as they were written."""
        if block.sentence is None:
            return isolate(block.typed or "")
        html = sentence_html(block.sentence, self.leaflet.lang, self.leaflet.names, **block.values)
        return Markup(str(html).replace(WORD_JOINER, ""))

    def english(self, sentence: Sentence, block: Block) -> Markup:
        english = Sentence(sentence.id, sentence.kind, sentence.source, sentence.source)
        return sentence_html(english, language(SOURCE_LANGUAGE), self.leaflet.names, **block.values)


def _id(key: str) -> str:
    """A section's key as an id that needs no escaping in a link or a selector:
    ``important.heading`` -> ``important``."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key.removesuffix(".heading")).strip("-") or "section"


_CSS = """\
:root {
  color-scheme: light dark; --scale: SCALE;
  --text: #1a1a1a; --back: #ffffff; --muted: #4d4d4d; --link: #0b4f8a; --rule: #767676;
  --warning: #a4001d; --warning-back: #fdeced; --notice: #7a4f00; --notice-back: #fff4d1;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --text: #f0f0f0; --back: #121212; --muted: #c4c4c4; --link: #9ccaff; --rule: #8f8f8f;
    --warning: #ff8a8a; --warning-back: #2d1214; --notice: #ffd27a; --notice-back: #2b2210;
  }
}
html { font-size: 100%; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; padding: 1rem; background: var(--back); color: var(--text);
  font-family: FONTS; font-size: calc(1.125rem * var(--scale)); line-height: 1.6; overflow-wrap: break-word;
}
header, main, footer { max-width: 70ch; margin-inline: auto; }
header { padding-block-end: 0.5rem; border-block-end: 2px solid var(--rule); }
footer { margin-block-start: 2rem; padding-block-start: 0.5rem; border-block-start: 2px solid var(--rule); }
h1 { font-size: 1.75em; line-height: 1.25; margin-block: 0.25rem 1rem; }
h2 { font-size: 1.35em; line-height: 1.3; margin-block: 2rem 0.75rem; }
p, ul, ol { margin-block: 0 1rem; }
ul, ol { padding-inline-start: 1.75rem; }
li { margin-block-end: 0.5rem; }
ol { list-style-type: NUMBERING; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.kicker { color: var(--muted); font-weight: bold; margin: 0; }
.typed { white-space: pre-line; }
.notice { border: 2px solid var(--notice); background: var(--notice-back); padding: 0.75rem 1rem; margin-block: 1rem; }
.notice p { margin: 0; }
.notice p + p { margin-block-start: 0.5rem; }
.notice.unreviewed { border-width: 3px; font-weight: bold; }
.notice .english { font-weight: normal; font-size: calc(1em / var(--scale)); }
.warning {
  border-inline-start: 0.5rem solid var(--warning); background: var(--warning-back);
  padding: 0.75rem 1rem; margin-block: 1rem;
}
.warning p:last-child { margin-block-end: 0; }
.personal { border: 2px solid var(--rule); padding: 1rem 1rem 0; margin-block: 1rem; }
.personal > :first-child { margin-block-start: 0; }
.personal h2 { font-size: 1.1em; margin-block: 1rem 0.25rem; }
.directions { font-size: 1.1em; font-weight: bold; }
.box { border: 1px solid var(--rule); padding: 1rem 1rem 0.5rem; margin-block: 1rem; }
.contents { list-style: none; padding: 0; }
nav { padding-block-end: 0.5rem; border-block-end: 1px solid var(--rule); margin-block-end: 1.5rem; }
.end { margin-block-start: 1.5rem; padding-block-start: 1rem; border-block-start: 1px solid var(--rule); }
.untranslated { font-style: italic; }
@page { margin: 15mm; }
@media print {
  :root { --text: #000000; --back: #ffffff; --muted: #333333; --link: #000000; }
  body { font-size: calc(12pt * var(--scale)); padding: 0; }
  header, main, footer { max-width: none; }
  nav { display: none; }
  a { text-decoration: none; }
  h2 { break-after: avoid; }
  li, .notice, .warning, .personal, .box { break-inside: avoid; }
  .notice, .warning { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


#: Scripts whose letters look small beside Latin at the same size (Naskh): their text is made larger.
SCALE = {"Arabic": "1.15"}


def stylesheet(leaflet: LocalizedLeaflet) -> str:
    """The page's CSS: the print's fonts for the script when the system has them, else its own,
    and the language's digits for numbered lists."""
    fonts = ", ".join([*(css_string(font) for font in leaflet.lang.fonts), "system-ui", "sans-serif"])
    numbering = leaflet.numbering if re.fullmatch(r"[a-z-]+", leaflet.numbering) else "decimal"
    scale = SCALE.get(leaflet.lang.script.name, "1")
    css = _CSS.replace("FONTS", fonts).replace("NUMBERING", numbering).replace("SCALE", scale)
    return css + ("body { word-break: keep-all; }\n" if leaflet.lang.keep_words else "")


#: Elements without an end tag.
VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"))
#: Elements and attributes that fetch something or run something: none belongs in the page.
FETCHING = frozenset(("script", "link", "img", "iframe", "object", "embed", "audio", "video", "source", "base",
                      "picture", "svg", "form"))
FETCHING_ATTRIBUTES = frozenset(("src", "srcset", "data", "poster", "action", "formaction", "background",
                                 "xlink:href", "ping"))


def check_page(page: str, lang: str, direction: str, name: str = "the HTML page") -> None:
    """Refuse a page that a browser or a screen reader would get wrong, saying what is wrong."""
    parsed = _Parsed()
    parsed.feed(page)
    parsed.close()
    problems = parsed.problems(lang, direction)
    if problems:
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise EditionFailed(f"{name} was refused: {'; '.join(problems[:5])}{more}",
                            hint="the page was not written; this is a bug in leaflet/editions/web.py")


class _Parsed(HTMLParser):
    """What the check needs of the page, read as a browser's parser reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.found: list[str] = []
        self.root: dict[str, str | None] = {}
        self.headings: list[tuple[str, str]] = []
        self.heading: list[str] | None = None
        self.ids: list[str] = []
        self.fragments: list[str] = []
        self.meta: set[str] = set()
        self.title = ""

    def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if name == "html":
            self.root = values
        if name in FETCHING or FETCHING_ATTRIBUTES & values.keys():
            self.found.append(f"<{name}> fetches or runs something outside the page")
        if name == "meta":
            self.meta |= {"charset"} if "charset" in values else {str(values.get("name"))}
        if "id" in values:
            self.ids.append(values["id"] or "")
        self._link(values.get("href"))
        if re.fullmatch(r"h[1-6]", name):
            self.heading = []
        if name not in VOID:
            self.open.append(name)

    def _link(self, href: str | None) -> None:
        if href is None:
            return
        if href.startswith("#"):
            self.fragments.append(href[1:])
        else:
            self.found.append(f"a link out of the page ({href[:60]})")

    def handle_startendtag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(name, attrs)
        if name not in VOID:
            self.handle_endtag(name)

    def handle_endtag(self, name: str) -> None:
        if not self.open or self.open[-1] != name:
            self.found.append(f"</{name}> closes <{self.open[-1] if self.open else 'nothing'}>")
            return
        self.open.pop()
        if re.fullmatch(r"h[1-6]", name) and self.heading is not None:
            self.headings.append((name, " ".join("".join(self.heading).split())))
            self.heading = None

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)
        if self.open and self.open[-1] == "title":
            self.title += data
        if self.open and self.open[-1] == "style" and re.search(r"url\(|@import", data, re.IGNORECASE):
            self.found.append("the stylesheet fetches something (url() or @import)")

    def problems(self, lang: str, direction: str) -> list[str]:
        found = list(self.found)
        found += [f"<{name}> is never closed" for name in self.open]
        if (self.root.get("lang"), self.root.get("dir")) != (lang, direction):
            found.append(f'<html> must have lang="{lang}" dir="{direction}", not {self.root}')
        h1s = len([name for name, _ in self.headings if name == "h1"])
        if h1s != 1:
            found.append(f"{h1s} <h1>, not one")
        found += [f"an empty <{name}>" for name, text in self.headings if not text]
        found += [f"no <meta> {what}" for what in ("charset", "viewport") if what not in self.meta]
        if not self.title.strip():
            found.append("an empty <title>")
        found += sorted({f'id "{i}" is used twice' for i in self.ids if self.ids.count(i) > 1})
        found += [f'a link to "#{f}", which is no id of the page' for f in self.fragments if f not in self.ids]
        return found
