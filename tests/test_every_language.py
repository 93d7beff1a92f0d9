"""Every shipped language builds, in its own script and fonts, in the right direction."""

import statistics
import unicodedata

import pdfplumber
import pytest
from conftest import REPO, pdf_fonts, pdf_reader, pdf_text

from leaflet.errors import MissingGlyphs
from leaflet.languages import language
from leaflet.render.fonts import check_coverage

LANGS = REPO.languages()
#: The first word of the Unicode names of the letters each language is written in.
SCRIPT = {
    "zh_Hans": "CJK", "zh_Hant": "CJK", "ko": "HANGUL", "ru": "CYRILLIC", "bn": "BENGALI", "ne": "DEVANAGARI",
    "ar": "ARABIC", "fa": "ARABIC", "ps": "ARABIC", "ur": "ARABIC", "yi": "HEBREW", "am": "ETHIOPIC",
    "my": "MYANMAR",
}
RTL = {"ar", "fa", "ps", "ur", "yi"}


def test_all_24_languages_are_shipped():
    assert len(LANGS) == 24


@pytest.mark.parametrize("lang", LANGS)
def test_fonts_embedded_subset_and_from_the_language(built, lang):
    fonts = pdf_fonts(built(lang))
    assert fonts and all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)
    names = " ".join(f["name"] for f in fonts)
    assert language(lang).fonts[0].replace(" ", "-") in names


@pytest.mark.parametrize("lang, family", [("zh_Hans", "CJK-SC"), ("zh_Hant", "CJK-TC"), ("ko", "CJK-KR")])
def test_each_cjk_language_has_its_regional_font(built, lang, family):
    names = [f["name"] for f in pdf_fonts(built(lang))]
    cjk = [n for n in names if "CJK" in n]
    assert cjk and all(family in n for n in cjk)


@pytest.mark.parametrize("lang", LANGS)
def test_language_metadata_and_title(built, lang):
    root = pdf_reader(built(lang)).trailer["/Root"]
    assert root["/Lang"] == lang.replace("_", "-")
    assert pdf_reader(built(lang)).metadata.title


@pytest.mark.parametrize("lang", LANGS)
def test_text_is_mostly_in_the_expected_script(built, lang):
    letters = [c for c in pdf_text(built(lang)) if unicodedata.category(c).startswith("L")]
    expected = SCRIPT.get(lang, "LATIN")
    share = sum(unicodedata.name(c, "").startswith(expected) for c in letters) / len(letters)
    assert share > 0.8, f"{lang}: only {share:.0%} of letters are {expected}"


def body_lines(page) -> list[dict]:
    """The page's lines of text between its running head and foot (in the page's margins)."""
    return [line for line in page.extract_text_lines() if 0.12 * page.height < line["top"] < 0.88 * page.height]


def column_edges(pdf) -> tuple[float, float]:
    """The text column's left and right edges: where the leaflet's lines start and end at the most."""
    lines = [line for page in pdf.pages for line in body_lines(page)]
    return min(line["x0"] for line in lines), max(line["x1"] for line in lines)


@pytest.mark.parametrize("lang", LANGS)
def test_lines_start_on_the_reading_side(built, lang):
    with pdfplumber.open(built(lang)) as pdf:
        lines = body_lines(pdf.pages[0])
        column_left, column_right = column_edges(pdf)
    left = statistics.median(round(line["x0"]) for line in lines)
    right = statistics.median(round(line["x1"]) for line in lines)
    if lang in RTL:
        # 25: boxes and warnings set their lines 5-8 mm inside the column (their frame and padding)
        assert column_right - right < 25, (left, right, column_left, column_right)
    else:
        assert left - column_left < 30, (left, right, column_left, column_right)


@pytest.mark.parametrize("lang", sorted(RTL))
def test_rtl_list_markers_are_on_the_right(built, lang):
    with pdfplumber.open(built(lang)) as pdf:
        _, column_right = column_edges(pdf)
        numbered = [(page, [c for c in page.chars if c["text"].isdecimal() and c["bottom"] < page.height - 60])
                    for page in pdf.pages[:3]]
    # The page of the numbered contents (page 1 or 2: the most important information comes first)
    # has them and numbered points, all at the right of the column.
    page, digits = max(numbered, key=lambda item: len(item[1]))
    on_the_right = [c for c in digits if c["x0"] > column_right - 0.15 * page.width]
    assert len(on_the_right) >= 8 and len(on_the_right) >= len(digits) - 4


def test_coverage_check_names_the_missing_characters():
    with pytest.raises(MissingGlyphs) as exc:
        check_coverage(language("es"), "Hola ሰላም 안녕")
    message = str(exc.value)
    assert "'ሰ' U+1230 Ethiopic" in message and "'안' U+C548 Hangul" in message
    assert "fonts-noto-core" in message


def test_invisible_format_characters_need_no_glyph():
    fonts = check_coverage(language("ar"), "\u200fمرحبا\u200d\u200c")
    assert [f.family for f in fonts] == list(language("ar").fonts)
