"""The leaflet in reading order, for the editions that are not printed pages.

The print template decides what page 1 carries; a listener or a braille reader
gets the same things in the same order, as sections: the title and the notices,
the patient's directions, the most important information, the standard box,
each section of the leaflet, the pharmacy, and the revision and review. Each
block keeps its ``Sentence`` (markup and all), so the HTML and ePI editions can
make tags of it and the audio and braille editions plain text
(``Block.plain``). What the pharmacist typed (a name, an address, free
directions) is a block of its own, never translated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from leaflet.languages import SOURCE_LANGUAGE
from leaflet.localized import LocalizedLeaflet, Node, Sentence
from leaflet.source.content import ListNode, WarningBox
from leaflet.source.markup import strip_markup
from leaflet.source.pharmacy import Pharmacy


@dataclass(frozen=True)
class Block:
    """One thing to read: a sentence of the leaflet with its values, or text typed as is.

    ``kind``: title, notice, paragraph, item, warning, label or typed. ``number``: the
    position of an item in a numbered list."""

    kind: str
    sentence: Sentence | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    typed: str | None = None
    number: int | None = None

    @property
    def plain(self) -> str:
        """The words as the patient reads them: the translation without its markup, values filled."""
        if self.sentence is None:
            return self.typed or ""
        return fill_plain(strip_markup(text_of(self.sentence)), self.values)

    @property
    def english(self) -> str:
        if self.sentence is None:
            return self.typed or ""
        return fill_plain(strip_markup(self.sentence.source), self.values)


@dataclass(frozen=True)
class Section:
    """``key``: a stable name (``header``, ``personal``, a content heading's id, ``pharmacy``, ``end``).
    ``heading`` is None for the parts the print shows without one (the header, the box)."""

    key: str
    heading: Block | None
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return self.heading.plain if self.heading else ""


@dataclass(frozen=True)
class Personal:
    """What the pharmacy typed for one patient, as the print shows it."""

    patient: str | None = None
    free_directions: str | None = None
    dispensed: dt.date | None = None


def sections(leaflet: LocalizedLeaflet, *, pharmacy: Pharmacy | None = None,
             personal: Personal | None = None) -> list[Section]:
    """Every section, in the order the printed leaflet has them."""
    frame = _Frame(leaflet)
    found = [_header(leaflet, frame, pharmacy)]
    if personal is not None or leaflet.directions is not None:
        found.append(_personal(leaflet, frame, personal or Personal()))
    if leaflet.lead:
        found += _split(leaflet.lead, "lead")
    found.append(Section("box", None, tuple(frame.block("item", context) for context in _BOX)))
    found += _split(leaflet.rest, "intro")
    found.append(_pharmacy(frame, pharmacy))
    found.append(_end(leaflet, frame))
    return [section for section in found if section.heading or section.blocks]


def text_of(sentence: Sentence) -> str:
    """The translation, or in a draft the English of a missing entry."""
    return sentence.text if sentence.text is not None else sentence.source


def fill_plain(text: str, values: Mapping[str, str]) -> str:
    from leaflet.render.html import fill

    return fill(text, dict(values))


def reviewed(leaflet: LocalizedLeaflet) -> bool:
    """English needs no review; a translation is reviewed only by a review of these exact words."""
    return leaflet.lang.code == SOURCE_LANGUAGE or leaflet.review.reviewed


#: The standard box of the print template, in its order.
_BOX = ("box.read", "box.keep", "box.questions", "box.prescribed")


class _Frame:
    """The print template's own sentences, looked up by context in the localized leaflet."""

    def __init__(self, leaflet: LocalizedLeaflet) -> None:
        self.leaflet = leaflet

    def block(self, kind: str, context: str, **values: str) -> Block:
        found = self.leaflet.frame.get(context)
        if found is None:
            from leaflet.errors import CatalogProblems

            raise CatalogProblems([], f"the print template's '{context}' is not in the frame's catalog: "
                                      "run 'leaflet extract' and 'leaflet update'")
        return Block(kind, found, values)

    def date(self, value: dt.date) -> str:
        """The month written out ("7 de diciembre de 2026"): read aloud or in braille, an
        abbreviation ("7 dic 2026") is no use."""
        from babel.dates import format_skeleton

        lang = self.leaflet.lang
        return lang.native_digits(format_skeleton("yMMMMd", value, locale=lang.locale))


def _header(leaflet: LocalizedLeaflet, frame: _Frame, pharmacy: Pharmacy | None) -> Section:
    blocks = [Block("typed", typed=pharmacy.name)] if pharmacy else []
    blocks += [frame.block("label", "header.patient-information"), Block("title", leaflet.title),
               frame.block("notice", "header.not-pack-leaflet")]
    if not reviewed(leaflet):
        blocks.append(frame.block("notice", "notice.unreviewed"))
    return Section("header", None, tuple(blocks))


def _personal(leaflet: LocalizedLeaflet, frame: _Frame, personal: Personal) -> Section:
    from leaflet.render.html import number

    blocks: list[Block] = []
    if personal.patient:
        blocks.append(frame.block("paragraph", "patient.prepared-for", name=personal.patient))
    if leaflet.directions is not None:
        values = leaflet.directions.values(lambda count: number(count, leaflet.lang))
        blocks += [frame.block("label", "directions.heading"), Block("paragraph", leaflet.directions.sentence, values)]
    if personal.free_directions:
        blocks += [frame.block("label", "directions.free-text"), Block("typed", typed=personal.free_directions)]
    if personal.dispensed:
        blocks.append(frame.block("paragraph", "dispensed", date=frame.date(personal.dispensed)))
    return Section("personal", None, tuple(blocks))


def _split(nodes: tuple[Node, ...], first_key: str) -> list[Section]:
    """The content's nodes cut at each heading: a section per heading, and what comes before the first."""
    found: list[Section] = []
    key, heading, blocks = first_key, None, []  # type: tuple[str, Block | None, list[Block]]
    for node in nodes:
        if isinstance(node, Sentence) and node.kind == "heading":
            found.append(Section(key, heading, tuple(blocks)))
            key, heading, blocks = node.id, Block("heading", node), []
        else:
            blocks += _blocks(node)
    found.append(Section(key, heading, tuple(blocks)))
    return found


def _blocks(node: Node) -> list[Block]:
    if isinstance(node, ListNode):
        return [Block("item", item, number=i if node.ordered else None) for i, item in enumerate(node.items, 1)]
    if isinstance(node, WarningBox):
        return [Block("warning", item) for item in node.items]
    return [Block("paragraph", node)]


def _pharmacy(frame: _Frame, pharmacy: Pharmacy | None) -> Section:
    blocks: list[Block] = []
    if pharmacy is not None:
        blocks += [Block("typed", typed=pharmacy.name), Block("typed", typed=pharmacy.address),
                   frame.block("paragraph", "pharmacy.phone", phone=pharmacy.phone)]
    blocks.append(frame.block("paragraph", "contact.ask"))
    return Section("pharmacy", frame.block("heading", "contact.heading"), tuple(blocks))


def _end(leaflet: LocalizedLeaflet, frame: _Frame) -> Section:
    """The revision, and for a translation when it was updated and whether it was reviewed."""
    from leaflet.localized import header_date
    from leaflet.render.html import Renderer

    month_year = Renderer(leaflet).month_year(leaflet.revised)
    blocks = [frame.block("paragraph", "footer.revised", month_year=month_year)]
    if leaflet.lang.code != SOURCE_LANGUAGE:
        blocks.append(frame.block("paragraph", "footer.translation-date", date=frame.date(leaflet.catalog_date)))
        if leaflet.review.reviewed:
            review_date = header_date(leaflet.review.date) or leaflet.revised
            blocks.append(frame.block("paragraph", "footer.reviewed", name=leaflet.review.reviewer,
                                      date=frame.date(review_date)))
        else:
            blocks.append(frame.block("notice", "footer.unreviewed"))
    return Section("end", None, tuple(blocks))


def runs(blocks: Iterable[Block]) -> Iterator[list[Block]]:
    """Blocks as the page groups them: the items of one list, the warnings of one box, else one
    block alone. A numbered list ends where the numbers start again."""
    run: list[Block] = []
    for block in blocks:
        if run and not _continues(run[-1], block):
            yield run
            run = []
        run.append(block)
    if run:
        yield run


def _continues(last: Block, block: Block) -> bool:
    if last.kind != block.kind or block.kind not in ("item", "warning"):
        return False
    return (last.number is None) == (block.number is None) and block.number != 1
