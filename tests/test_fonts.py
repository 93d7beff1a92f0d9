"""The prepared fonts: a script whose letters are small for their size is drawn larger, and
a name typed in any script prints on every leaflet.

Naskh Arabic's letters reach 0.89 of Latin's x-height at one font size, so an Arabic
leaflet at 11 pt read like 10 pt Latin beside the English notice; its prepared subsets
draw it larger, by its measure, and every other script as its font has it. What a
leaflet's fonts lack of a typed name is drawn by the font of its script.
"""

import statistics
import subprocess
from collections import Counter

import pdfplumber
import pytest
from conftest import pdf_fonts, pdf_text, run_cli, squeeze
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from leaflet import build
from leaflet.errors import UndrawableTyped
from leaflet.languages import LANGUAGES, LATIN, language
from leaflet.project import CACHE_VARIABLE
from leaflet.render.fonts import REFERENCE_FAMILY, fallback_fonts, find_font, prepare_fonts, size_ratio

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


# -- a name typed in another script ----------------------------------------------------------

#: A name in each script, and the shipped font that draws it where the leaflet's fonts cannot.
NAMES = {
    "Arabic": ("عبد الرحمن", "Noto Naskh Arabic"),
    "Chinese": ("王小明", "Noto Sans CJK SC"),
    "Korean": ("김민준", "Noto Sans CJK KR"),
    "Bengali": ("অমিত রায়", "Noto Sans Bengali"),
    "Cyrillic": ("Иван Петров", "Noto Sans"),
    "Hebrew": ("שרה כהן", "Noto Sans Hebrew"),
}
LEAFLET_LANGS = ["es", "ar", "ko", "zh_Hans", "bn", "my"]


def drawn_by(lang, script):
    """The font that draws a name: the leaflet's own CJK font draws Han and Hangul alike."""
    family = NAMES[script][1]
    return lang.fonts[0] if "CJK" in family and "CJK" in lang.fonts[0] else family


@pytest.mark.slow
@pytest.mark.parametrize("script", NAMES)
@pytest.mark.parametrize("code", LEAFLET_LANGS)
def test_a_name_in_any_script_prints_on_every_leaflet(built, code, script):
    """Built (so the preflight read it back), in the PDF's text, in the font of its script, embedded."""
    name, _ = NAMES[script]
    path = built(code, patient=name)
    assert squeeze(name) in squeeze(pdf_text(path))
    family = "leaflet-" + drawn_by(language(code), script).replace(" ", "-")
    fonts = {row["name"].split("+", 1)[-1]: row for row in pdf_fonts(path)}
    assert family in fonts and fonts[family]["emb"] == "yes", (family, sorted(fonts))


@pytest.mark.slow
@pytest.mark.parametrize(("code", "name", "ocr"), [("es", "王小明", "chi_sim"), ("ar", "Ana Garcia", "eng"),
                                                   ("ko", "عبد الرحمن", "ara")])
def test_the_name_is_on_the_page_as_ink(built, tmp_path, code, name, ocr):
    """Read from the pixels by tesseract, not from the text layer: the glyphs are the name's."""
    path = built(code, patient=name)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        lines: dict[int, list[dict]] = {}
        for char in page.chars:
            lines.setdefault(round(char["matrix"][5]), []).append(char)
        wanted = Counter(name.replace(" ", ""))
        line = next(line for line in lines.values() if not wanted - Counter(c["text"] for c in line))
        chars = [c for c in line if c["text"] in wanted]
        box = (min(c["x0"] for c in chars) - 6, min(c["top"] for c in chars) - 3,  # not the next line's dots
               max(c["x1"] for c in chars) + 6, max(c["bottom"] for c in chars) + 3)
        page.crop(box).to_image(resolution=300).save(tmp_path / "name.png")
    read = subprocess.run(["tesseract", str(tmp_path / "name.png"), "-", "-l", ocr, "--psm", "7"],
                          capture_output=True, text=True, check=True).stdout
    assert squeeze(name) in squeeze(read), read


@pytest.mark.parametrize(("code", "typed", "family"), [
    ("es", "عبد", "Noto Naskh Arabic"), ("es", "王", "Noto Sans CJK SC"), ("es", "한", "Noto Sans CJK KR"),
    ("es", "カナ", "Noto Sans CJK SC"), ("ar", "অমিত", "Noto Sans Bengali"), ("es", "अमित।", "Noto Sans Devanagari"),
    ("es", "।", "Noto Sans Bengali"), ("es", "ሰላም", "Noto Sans Ethiopic"), ("ko", "שרה", "Noto Sans Hebrew"),
    ("es", "မြန်မာ", "Noto Sans Myanmar"), ("zh_Hant", "بَ", "Noto Naskh Arabic"), ("bn", "王", "Noto Sans CJK SC"),
])
def test_each_character_goes_to_the_font_of_its_script(tmp_path, code, typed, family):
    """By Unicode script, the same whatever else is typed: a danda with Devanagari letters is
    drawn by their font, alone by the first shipped font of a script that uses it."""
    fallbacks = fallback_fonts(language(code), typed, tmp_path)
    drawn = [(fallback.family, "".join(map(chr, sorted(fallback.chars)))) for fallback in fallbacks]
    assert drawn == [(family, "".join(sorted(set(typed))))]


@pytest.mark.parametrize(("code", "typed"), [("es", "Ana García"), ("ru", "Иван"), ("ko", "王小明"), ("zh_Hans", "김")])
def test_what_the_leaflets_fonts_draw_needs_no_fallback(tmp_path, code, typed):
    assert fallback_fonts(language(code), typed, tmp_path) == ()


@pytest.mark.parametrize("typed", ["Ana 😀", "Ana \ue000", "عبد \U0001f48a"])
def test_a_character_no_shipped_font_has_is_refused_in_one_line(capsys, project, typed):
    code, _, err = run_cli(capsys, "--project", project.root, "build", "--leaflet", "diazepam", "--lang", "es",
                           "--patient", typed)
    assert code == 2 and err.count("Error: ") == 1
    assert "nor of any other shipped language can draw" in err and "in what was typed" in err
    with pytest.raises(UndrawableTyped):
        fallback_fonts(language("es"), typed, project.cache_dir)


def test_a_pharmacy_profile_in_another_script_prints(project, tmp_path):
    profile = tmp_path / "pharmacy.toml"
    profile.write_text('name = "صيدلية النور 光明药房"\naddress = "12 River Street"\nphone = "+44 20 7946 0958"\n',
                       encoding="utf-8")
    path = build("diazepam", "es", project=project, pharmacy=profile)
    assert "光明药房" in pdf_text(path) and squeeze("صيدلية النور") in squeeze(pdf_text(path))
    names = {row["name"].split("+", 1)[-1] for row in pdf_fonts(path)}
    assert {"leaflet-Noto-Naskh-Arabic-Bold", "leaflet-Noto-Sans-CJK-SC-Bold"} <= names, names


@pytest.mark.slow
def test_a_name_in_another_script_leaves_nothing_of_it_in_the_cache(project, tmp_path, monkeypatch):
    """The cache holds the same files after a name in any script as after a Latin one: no
    subset named after or made of its characters, and no file holds the name."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    build("diazepam", "es", project=project, patient="Ana García")
    before = sorted(p.relative_to(cache) for p in cache.rglob("*"))
    for name in ("عبد الرحمن", "王小明", "김민준", "שרה כהן", "অমিত রায়"):
        out = build("diazepam", "es", project=project, patient=name)
        assert squeeze(name) in squeeze(pdf_text(out))
        assert sorted(p.relative_to(cache) for p in cache.rglob("*")) == before, name
        for path in cache.rglob("*"):
            assert name not in path.name
            for encoding in ("utf-8", "utf-16-be"):
                assert not path.is_file() or name.split()[0].encode(encoding) not in path.read_bytes(), (name, path)
