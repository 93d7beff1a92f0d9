"""The localized leaflet's types and ``localize``, which makes one (see the package)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from leaflet.catalogs.extract import extract_messages
from leaflet.catalogs.reviews import ReviewStatus, review_status
from leaflet.catalogs.translations import Translations
from leaflet.errors import CatalogProblems
from leaflet.languages import SOURCE_LANGUAGE, Language, language
from leaflet.localized.directions import Directions, localize_directions
from leaflet.localized.sentence import Sentence
from leaflet.project import FRAME_DOMAIN, Project
from leaflet.source.content import Block, Leaflet, ListNode, WarningBox
from leaflet.source.directions import Chosen

#: A list and a warning are the content's, holding sentences instead of blocks.
Items = ListNode[Sentence]
Warning = WarningBox[Sentence]
Node = Sentence | Items | Warning


@dataclass(frozen=True)
class LocalizedLeaflet:
    id: str
    revised: dt.date
    sources: tuple[str, ...]
    lang: Language
    title: Sentence
    body: tuple[Node, ...]
    frame: Mapping[str, Sentence]
    review: ReviewStatus
    #: The catalogs' last revision (the footer's "Translation updated"), else the content's.
    catalog_date: dt.date
    draft: bool = False
    #: A personalised leaflet's standard directions: each dose in the plural form of its count.
    directions: Directions | None = None
    names: tuple[str, ...] = field(default=())  # medicine names, never hyphenated

    @property
    def direction(self) -> str:
        return self.lang.direction

    @property
    def numbering(self) -> str:
        """The CSS counter style of the language's digits (decimal, arabic-indic, ...)."""
        return self.lang.digits.counter_style

    @property
    def lead(self) -> tuple[Node, ...]:
        """The first section, when it is made only of warnings (its heading and its boxes):
        printed before everything but the title and the notices, so page 1 has it in every
        edition. Empty when the first section holds anything else."""
        start, end = self._lead_span()
        return self.body[start:end]

    @property
    def rest(self) -> tuple[Node, ...]:
        """The body without the lead, in order."""
        start, end = self._lead_span()
        return self.body[:start] + self.body[end:]

    def _lead_span(self) -> tuple[int, int]:
        start = next((i for i, node in enumerate(self.body) if isinstance(node, Sentence) and node.kind == "heading"),
                     len(self.body))
        end = start + 1
        while end < len(self.body) and isinstance(self.body[end], WarningBox):
            end += 1
        return (start, end) if end > start + 1 else (0, 0)

    @property
    def headings(self) -> list[Sentence]:
        return [node for node in self.body if isinstance(node, Sentence) and node.kind == "heading"]

    def frame_sentence(self, context: str, source: str) -> Sentence:
        found = self.frame.get(context)
        if found is None or found.source != source:
            raise CatalogProblems([], f"the print template's '{context}' is not in the frame's catalog "
                                      "as it is now: run 'leaflet update'")
        return found


def localize(project: Project, content: Leaflet, translations: Translations, *, draft: bool = False,
             directions: Chosen | None = None, names: tuple[str, ...] = ()) -> LocalizedLeaflet:
    """The leaflet in ``translations.lang``; ``directions``: the standard directions of a personalised one."""
    lang = language(translations.lang)
    look = _Lookup(translations, draft)
    frame = {item.context or "": look.sentence(item.context or "", "frame", item.msgid)
             for item in extract_messages(project, FRAME_DOMAIN) if not item.msgid_plural}
    localized = localize_directions(translations, directions, draft=draft) if directions is not None else None
    review = review_status(project, lang.code, content.id) if lang.code != SOURCE_LANGUAGE else ReviewStatus()
    return LocalizedLeaflet(
        content.id, content.revised, content.sources, lang, look.block(content.title),
        tuple(_node(node, look) for node in content.body()), frame, review,
        header_date(translations.header("PO-Revision-Date")) or content.revised, draft, localized, names)


class _Lookup:
    def __init__(self, translations: Translations, draft: bool) -> None:
        self.translations = translations
        self.draft = draft

    def sentence(self, context: str, kind: str, source: str) -> Sentence:
        text = self.translations.lookup(context, source)
        if text is None and not self.draft:
            raise CatalogProblems([], f"no translation for '{context}' in '{self.translations.lang}'")
        return Sentence(context, kind, source, text)

    def block(self, block: Block) -> Sentence:
        return self.sentence(block.id, block.kind, block.text)


def _node(node: Block | ListNode[Block] | WarningBox[Block], look: _Lookup) -> Node:
    if isinstance(node, ListNode):
        return ListNode(node.ordered, tuple(look.block(item) for item in node.items))
    if isinstance(node, WarningBox):
        return WarningBox(tuple(look.block(item) for item in node.items))
    return look.block(node)


def header_date(value: str) -> dt.date | None:
    """The day of a catalog header's or a review's date ("2026-11-27 04:51+0000"), if it has one."""
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
