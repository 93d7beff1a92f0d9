"""The leaflet in reading order: what the audio, braille, HTML and ePI editions are made from.

They must say what the printed leaflet says, in its order, and nothing else: every sentence
of the content once, the notices first, the patient's directions before the leaflet's text."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from babel.dates import format_skeleton
from conftest import REPO, edit_file

from leaflet.catalogs.translations import load_translations
from leaflet.editions.reading import Personal, sections
from leaflet.errors import CatalogProblems
from leaflet.localized import localize, localize_directions
from leaflet.source.content import ListNode, WarningBox, read_leaflet
from leaflet.source.directions import choose_directions
from leaflet.source.pharmacy import Pharmacy


def model(leaflet: str, lang: str, **kwargs):
    content = read_leaflet(REPO.content_file(leaflet))
    return localize(REPO, content, load_translations(REPO, lang, REPO.leaflet_domains(leaflet, directions=True)),
                    **kwargs)


def content_sentences(leaflet):
    """Every sentence of the body, in order, as the model holds them."""
    found = []
    for node in leaflet.body:
        found += list(node.items) if isinstance(node, ListNode | WarningBox) else [node]
    return found


@pytest.mark.parametrize("leaflet", ["diazepam", "zolpidem"])
@pytest.mark.parametrize("lang", ["es", "ar", "zh_Hans"])
def test_every_sentence_of_the_leaflet_once_and_the_lead_first(leaflet, lang):
    localized = model(leaflet, lang)
    read = sections(localized)
    body = [block.sentence for section in read if section.key not in ("header", "box", "pharmacy", "end")
            for block in ([section.heading] if section.heading else []) + list(section.blocks)]
    expected = content_sentences(localized)
    assert sorted(s.id for s in body) == sorted(s.id for s in expected)
    lead_ids = [s.id for s in localized.lead if hasattr(s, "id")]
    assert read[1].key == lead_ids[0] and read[2].key == "box"  # the most important information, then the box


def test_the_header_says_what_the_leaflet_is_and_that_the_translation_is_not_reviewed():
    header = sections(model("diazepam", "es"))[0]
    kinds = [block.kind for block in header.blocks]
    assert kinds == ["label", "title", "notice", "notice"]
    assert "no ha sido revisada" in header.blocks[-1].plain  # the frame's own Spanish notice
    assert "not yet been checked" in header.blocks[-1].english


def test_english_has_no_review_notice():
    header = sections(model("diazepam", "en"))[0]
    assert [block.kind for block in header.blocks] == ["label", "title", "notice"]


def test_a_personal_section_follows_the_header_with_the_count_in_its_plural_form():
    content = read_leaflet(REPO.content_file("diazepam"))
    localized = model("diazepam", "es", directions=choose_directions(REPO.directions_file, content, "bedtime", 2))
    pharmacy = Pharmacy("Farmacia Río", "Calle Mayor 1\nMadrid", "+34 910 000 000")
    read = sections(localized, pharmacy=pharmacy,
                    personal=Personal("Ana García", "Con agua.", dt.date(2026, 11, 20)))
    personal = read[1]
    assert personal.key == "personal"
    texts = [block.plain for block in personal.blocks]
    assert texts == ["Preparado para: Ana García", "Sus instrucciones", "Tome 2 comprimidos al acostarse.",
                     "Instrucciones de su farmacéutico", "Con agua.", "Dispensado el 20 de noviembre de 2026"]
    contact = next(section for section in read if section.key == "pharmacy")
    assert [block.plain for block in contact.blocks][:3] == ["Farmacia Río", "Calle Mayor 1\nMadrid",
                                                             "Teléfono: +34 910 000 000"]
    assert read[0].blocks[0].plain == "Farmacia Río"  # the pharmacy's name heads the leaflet, as printed


@pytest.mark.parametrize(("lang", "expected"), [
    ("es", "Tome 1 comprimido por la mañana, 2 comprimidos al mediodía y 21 comprimidos al acostarse."),
    ("ru", "Принимайте 1 таблетку утром, 2 таблетки в полдень и 21 таблетку перед сном."),
    ("en", "Take 1 tablet in the morning, 2 tablets at noon, and 21 tablets at bedtime."),
])
def test_the_directions_read_aloud_are_the_printed_sentence(lang, expected):
    """Audio and braille read the same sentence as the print: each dose in its own plural form."""
    content = read_leaflet(REPO.content_file("diazepam"))
    chosen = choose_directions(REPO.directions_file, content, "bedtime=21,morning=1,noon=2")
    personal = sections(model("diazepam", lang, directions=chosen), personal=Personal())[1]
    assert [block.plain for block in personal.blocks][1] == expected


def test_the_end_says_when_it_was_revised_and_that_it_is_not_reviewed():
    localized = model("diazepam", "es")
    end = sections(localized)[-1]
    assert end.key == "end"
    month = format_skeleton("yMMMM", localized.revised, locale="es")
    assert end.blocks[0].plain == f"Fecha de la última revisión de este prospecto: {month}."
    assert end.blocks[-1].kind == "notice"


def test_a_dose_without_its_translation_is_refused_and_a_draft_prints_the_whole_sentence_in_english(project):
    edit_file(project.po_file("es", "directions"), ('msgstr[1] "{count} comprimidos al mediodía"', 'msgstr[1] ""'))
    translations = load_translations(project, "es", ["directions"])
    chosen = choose_directions(project.directions_file, read_leaflet(project.content_file("diazepam")),
                               "morning=1,noon=2")
    with pytest.raises(CatalogProblems) as exc:
        localize_directions(translations, chosen)
    assert exc.value.message == "no translation for 'tablet.noon' in 'es'"
    draft = localize_directions(translations, chosen, draft=True).sentence
    assert draft.text is None and draft.source == "Take {count0} tablet in the morning and {count1} tablets at noon."
    assert localize_directions(translations, replace(chosen, doses=chosen.doses[:1])).sentence.text \
        == "Tome {count0} comprimido por la mañana."
