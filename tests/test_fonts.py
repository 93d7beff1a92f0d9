"""The prepared fonts: a script whose letters are small for their size is drawn larger.

Naskh Arabic's letters reach 0.89 of Latin's x-height at one font size, so an Arabic
leaflet at 11 pt read like 10 pt Latin beside the English notice; its prepared subsets
draw it larger, by its measure, and every other script as its font has it.
"""

import statistics

import pdfplumber
import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from leaflet.languages import LANGUAGES, LATIN, language
from leaflet.render.fonts import REFERENCE_FAMILY, find_font, prepare_fonts, size_ratio

#: One language of each script whose first font is its own.
SCRIPTS = {lang.script.name: lang for lang in LANGUAGES.values() if lang.fonts[0] != REFERENCE_FAMILY}


def test_latin_is_measured_at_its_x_height():
    assert size_ratio(REFERENCE_FAMILY, LATIN.font_package) == 1.0


@pytest.mark.parametrize("lang", SCRIPTS.values(), ids=SCRIPTS)
def test_every_script_has_its_letters_in_its_font(lang):
    installed = find_font(lang.fonts[0], "Regular", lang.font_package)
    chars = TTFont(installed.path, fontNumber=installed.index, lazy=True).getBestCmap()
    assert len(lang.script.letters) >= 20
    assert all(ord(c) in chars for c in lang.script.letters), lang.script.name


@pytest.mark.parametrize("lang", SCRIPTS.values(), ids=SCRIPTS)
def test_only_naskh_arabic_is_smaller_than_latin(lang):
    ratio = size_ratio(lang.fonts[0], lang.font_package)
    if lang.script.name == "Arabic":
        assert 0.8 < ratio < 0.95, ratio
    else:
        assert ratio >= 1.0, (lang.script.name, ratio)


def median_top(font, letters):
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    tops = []
    for char in letters:
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(char)]].draw(pen)
        tops.append(pen.bounds[3])
    return statistics.median(tops)


@pytest.mark.parametrize("code", ["ar", "fa", "yi", "bn"])
def test_prepared_letters_reach_latins_x_height(tmp_path, code):
    """Measured in the subsets the PDF is printed with, both weights: the script's letters
    reach at least as high per em as Latin's, and Latin stays as it was."""
    lang = language(code)
    faces = prepare_fonts(lang, lang.script.letters + LATIN.letters, tmp_path)
    heights = {}
    for face in faces:
        font = TTFont(face.path)
        letters = LATIN.letters if face.family == f"leaflet {REFERENCE_FAMILY}" else lang.script.letters
        heights[face.family, face.weight] = median_top(font, letters) / font["head"].unitsPerEm
    latin = heights[f"leaflet {REFERENCE_FAMILY}", 400]
    assert latin == pytest.approx(0.546, abs=0.01)  # Noto Sans's x-height, unscaled
    own = heights[f"leaflet {lang.fonts[0]}", 400]
    assert own >= latin
    if code in ("ar", "fa"):
        assert own < latin * 1.01  # drawn as large as Latin, not larger
        assert TTFont(faces[0].path)["head"].unitsPerEm < 1000 and faces[0].family == "leaflet Noto Naskh Arabic"



def test_latin_digits_are_drawn_at_latins_size_beside_naskh(built):
    """Drawn by the larger Naskh, "12" stood taller than "months" in the English column."""
    with pdfplumber.open(built("ar", bilingual=True)) as pdf:
        digits = [char for page in pdf.pages for char in page.chars if char["text"] in "0123456789"]
    assert digits and all("Naskh" not in char["fontname"] and "Noto-Sans" in char["fontname"] for char in digits)
