"""The leaflet in reading order: what the audio, braille, HTML and ePI editions are made from.

They must say what the printed leaflet says, in its order, and nothing else: every sentence
of the content once, the notices first, the patient's directions before the leaflet's text."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_skeleton
from conftest import REPO

from leaflet.catalogs.translations import load_translations
from leaflet.editions.reading import Personal, sections
from leaflet.localized import localize
from leaflet.source.content import ListNode, WarningBox, read_leaflet
from leaflet.source.directions import read_directions, resolve_direction
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
    direction = resolve_direction(read_directions(REPO.directions_file, content.form), "bedtime")
    localized = model("diazepam", "es", direction=direction, count=2)
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


def test_the_end_says_when_it_was_revised_and_that_it_is_not_reviewed():
    localized = model("diazepam", "es")
    end = sections(localized)[-1]
    assert end.key == "end"
    month = format_skeleton("yMMMM", localized.revised, locale="es")
    assert end.blocks[0].plain == f"Fecha de la última revisión de este prospecto: {month}."
    assert end.blocks[-1].kind == "notice"
