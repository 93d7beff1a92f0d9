"""A patient's standard directions in one language: ``Chosen`` + ``Translations`` -> ``Directions``.

The doses at times of day are one catalog entry each, in the plural form of their own count
("1 tablet in the morning", "2 tablets at bedtime"), joined by the language's own list
pattern from CLDR (Babel's ``format_list``: "A and B", "A, B, and C", "A وB", "A、B和C") and
put into the dose form's sentence ("Take {doses}."). The result is one ``Sentence``, like any
other of the leaflet, whose placeholders ``{count0}``, ``{count1}``... are the counts: every
edition prints, reads aloud or embosses it as it does the rest, each count in the patient's
digits and isolated as typed. An old whole-sentence code is that sentence with ``{count0}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from babel.lists import format_list

from leaflet.catalogs.translations import Translations
from leaflet.characters import BIDI_CONTROLS
from leaflet.errors import CatalogProblems
from leaflet.languages import SOURCE_LANGUAGE, language
from leaflet.localized.sentence import Sentence
from leaflet.source.directions import DOSES, Chosen, Direction

_ITEM = re.compile(r"\{item(\d+)\}")


@dataclass(frozen=True)
class Directions:
    """The directions as the patient reads them: ``sentence`` with ``{count0}``... for ``counts``."""

    sentence: Sentence
    counts: tuple[int, ...]

    def values(self, number: Callable[[int], str]) -> dict[str, str]:
        """Each count written by ``number`` (the language's digits), by its placeholder."""
        return {f"count{i}": number(count) for i, count in enumerate(self.counts)}


def localize_directions(translations: Translations, chosen: Chosen, *, draft: bool = False) -> Directions:
    """The sentence in ``translations.lang``. A missing entry is refused, except in a draft,
    where the whole sentence prints in English (a sentence half in one language is no use)."""
    doses = [_dose(translations, direction, count, i) for i, (direction, count) in enumerate(chosen.doses)]
    contexts = [direction.context for direction, _ in chosen.doses]
    missing = [context for context, (text, _) in zip(contexts, doses, strict=True) if text is None]
    sentence = chosen.form.sentence
    if chosen.whole is not None or sentence is None:  # an old code: one whole sentence
        text, source = doses[0]
    else:
        frame = translations.lookup(sentence.context, sentence.text)
        missing = ([sentence.context] if frame is None else []) + missing
        contexts.insert(0, sentence.context)
        texts = [text for text, _ in doses if text is not None]
        text = frame.replace(DOSES, join(translations.lang, texts)) if frame is not None else None
        source = sentence.text.replace(DOSES, join(SOURCE_LANGUAGE, [source for _, source in doses]))
    if missing and not draft:
        raise CatalogProblems([], f"no translation for '{missing[0]}' in '{translations.lang}'")
    return Directions(Sentence("+".join(contexts), "directions", source, None if missing else text),
                      tuple(count for _, count in chosen.doses))


def _dose(translations: Translations, direction: Direction, count: int, index: int) -> tuple[str | None, str]:
    """The translation and the English in the form ``count`` takes, ``{count}`` made ``{count<index>}``."""
    source = direction.one if count == 1 else direction.other
    text = translations.lookup_plural(direction.context, direction.one, direction.other, count)
    rename = f"{{count{index}}}"
    return (text.replace("{count}", rename) if text is not None else None), source.replace("{count}", rename)


def join(lang: str, items: list[str]) -> str:
    """``items`` joined by CLDR's standard list pattern for ``lang``. The pattern's bidi marks
    (Persian puts U+200F after its comma) are left out: the renderer isolates every run that
    needs it, and the checks refuse those marks in anything printed."""
    pattern = format_list([f"{{item{i}}}" for i in range(len(items))], locale=language(lang).locale)
    pattern = "".join(c for c in pattern if c not in BIDI_CONTROLS)
    return _ITEM.sub(lambda m: items[int(m.group(1))], pattern)
