"""The localized leaflet: one model of a leaflet in a language, and what reaches page 1 from it.

The model's lead (a first section made only of warnings) prints before the standard box in
every edition, so the most important information is on page 1 whatever the language or the
type size; the page itself is read back here, not the template."""

from __future__ import annotations

import subprocess
import unicodedata

import pytest
from conftest import REPO

from leaflet.catalogs.translations import load_translations
from leaflet.localized import LocalizedLeaflet, Sentence, localize
from leaflet.source.content import WarningBox, read_leaflet
from leaflet.source.markup import strip_markup

EDITIONS = {"standard": {}, "large": {"large_print": True}, "bilingual": {"bilingual": True}}


def localized(leaflet: str, lang: str) -> LocalizedLeaflet:
    content = read_leaflet(REPO.content_file(leaflet))
    return localize(REPO, content, load_translations(REPO, lang, REPO.leaflet_domains(leaflet)))


def letters(text: str) -> str:
    """Letters and digits only: pdftotext drops joiners (U+200C) and orders combining marks
    its own way (Hebrew points), which say nothing about whether the words are on the page."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c)[0] in "LN")


def page_one(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("leaflet", ["diazepam", "zolpidem"])
def test_the_lead_is_the_first_section_and_only_warnings(leaflet):
    model = localized(leaflet, "es")
    heading, *boxes = model.lead
    assert isinstance(heading, Sentence) and heading.kind == "heading" and heading is model.headings[0]
    assert boxes and all(isinstance(box, WarningBox) for box in boxes)
    assert heading not in model.rest and model.rest[0].id == "intro"  # the rest keeps its order


def test_a_leaflet_whose_first_section_is_not_a_warning_has_no_lead(tmp_path):
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    content = project.content_file("zolpidem")
    content.write_text(content.read_text(encoding="utf-8").replace("\n> Zolpidem can cause", "\nZolpidem can cause"),
                       encoding="utf-8")
    model = localize(project, read_leaflet(content), load_translations(project, "en", []))
    assert model.lead == () and model.rest == model.body


#: Diazepam in every language (the other tests build the same PDFs, so they cost nothing more);
#: zolpidem, whose box is shorter, in one language of each script and the longest-running ones.
PAGE_ONE = ([("diazepam", lang) for lang in REPO.languages()]
            + [("zolpidem", lang) for lang in ("en", "es", "ru", "fil", "so", "zh_Hans", "ko", "bn", "ne", "my", "am",
                                               "ar", "ur", "yi")])


@pytest.mark.parametrize("leaflet, lang, edition", [
    (leaflet, lang, edition) for leaflet, lang in PAGE_ONE for edition in EDITIONS
    if not (lang == "en" and edition == "bilingual")])  # English has no bilingual edition
def test_the_first_warning_is_on_page_1_in_every_language_and_edition(built, leaflet, lang, edition):
    """What the FDA puts first (diazepam: opioids, alcohol and breathing; zolpidem: complex sleep
    behaviours) starts on page 1 beside the notices, in the patient's words."""
    first = next(box for box in localized(leaflet, lang).lead if isinstance(box, WarningBox)).items[0]
    page = letters(page_one(built(lang, leaflet, **EDITIONS[edition])))
    words = [letters(w)[:12] for w in strip_markup(first.text or first.source).split()]
    found = [w for w in words[:6] if w and w in page]
    # Most of its first words, each read back on its own: pdftotext misplaces a cluster here and
    # there in Yiddish and Burmese lines, and CJK has no spaces (its first 12 letters, whole).
    assert len(found) >= min(4, len(words)), (words[:6], found)


@pytest.mark.parametrize("lang, edition, paper", [
    (lang, edition, {}) for lang in REPO.languages() for edition in EDITIONS
    if not (lang == "en" and edition == "bilingual")] + [
    # Naskh is drawn larger than its size (issue 24), and Letter is shorter than A4.
    (lang, edition, {"paper": "letter"}) for lang in ("ar", "fa", "ps", "ur") for edition in EDITIONS])
def test_the_whole_of_the_most_important_information_is_on_page_1(built, lang, edition, paper):
    """Issue 23: opioids and alcohol, dependence and withdrawal, and not stopping suddenly, each
    to its last words, on page 1 of every edition (their details follow in the next section)."""
    page = letters(page_one(built(lang, "diazepam", **paper, **EDITIONS[edition])))
    warnings = [item for box in localized("diazepam", lang).lead if isinstance(box, WarningBox) for item in box.items]
    assert [item.id for item in warnings] == ["important.opioids", "important.dependence", "important.do-not-stop"]
    for item in warnings:
        text = strip_markup(item.text or item.source)
        words = [letters(w)[:12] for w in text.split()]
        # CJK has no spaces: its last 12 letters, whole.
        last = [w for w in words[-6:] if w] if len(words) > 3 else [letters(text)[-12:]]
        found = [w for w in last if w in page]
        assert len(found) >= min(4, len(last)), (item.id, last, found)
