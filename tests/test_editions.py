"""The pharmacy edition: profile, patient, directions, paper, large print, bilingual, reproducible bytes."""

import collections
import html as html_lib
import re
import shutil
import subprocess
import sys
import unicodedata

import pdfplumber
import pytest
from conftest import pdf_reader, pdf_text, squeeze

from leaflet import build
from leaflet.catalogs.translations import load_translations
from leaflet.errors import UsageError
from leaflet.languages import language
from leaflet.project import Project
from leaflet.render.context import directions_sentence, leaflet_html
from leaflet.render.options import BuildOptions
from leaflet.source.content import read_leaflet

EXAMPLE = "pharmacy.example.toml"


def body_chars(path, page_number=0):
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number]
        limit = page.height - 34 / 25.4 * 72  # above the footer
        return page, [c for c in page.chars if c["bottom"] < limit and c["text"].strip()]


def test_profile_patient_and_directions_are_printed(project):
    profile = project.root / "profile.toml"
    profile.write_text('name = "Farmacia Central"\naddress = "Calle Mayor 1"\nphone = "+34 910 000 000"\n')
    path = build("diazepam", "es", project=project, pharmacy=profile, patient="Ana García",
                 directions="bedtime", count=2)
    text = " ".join(pdf_text(path).split())
    for wanted in ("Farmacia Central", "Calle Mayor 1", "Teléfono: +34 910 000 000", "Preparado para: Ana García",
                   "Tome 2 comprimidos al acostarse.", "Dispensado el"):
        assert wanted in text


def test_without_a_profile_the_box_asks_the_pharmacist(shared_project):
    text = pdf_text(build("diazepam", "es", project=shared_project))
    assert "Su farmacia" in text and "Pregunte a su farmacéutico" in text and "Teléfono" not in text


def test_free_text_directions_are_labelled_and_printed_as_typed(project):
    path = build("diazepam", "es", project=project, free_directions="Take half a tablet with water")
    text = " ".join(pdf_text(path).split())
    assert "Instrucciones de su farmacéutico Take half a tablet with water" in text


def test_the_logo_is_embedded_with_alternative_text(project):
    shutil.copy(Project.default().root / "examples" / "logo.svg", project.root / "logo.svg")
    profile = project.root / "profile.toml"
    profile.write_text('name = "Farmacia"\naddress = "A"\nphone = "1"\nlogo = "logo.svg"\n')
    path = build("diazepam", "es", project=project, pharmacy=profile)
    with pdfplumber.open(path) as pdf:
        assert pdf.pages[0].rects or pdf.pages[0].images  # the SVG is drawn
    assert "Logotipo de Farmacia" in alternative_texts(path)


def alternative_texts(path):
    """Every /Alt in the tagged PDF's structure tree."""
    found, seen = [], set()

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            for key in ("/K",):
                if key in node:
                    walk(node[key])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(pdf_reader(path).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_profile_paper_is_the_default(project):
    profile = project.root / "profile.toml"
    profile.write_text('name = "P"\naddress = "A"\nphone = "1"\npaper = "letter"\n')
    path = build("diazepam", "es", project=project, pharmacy=profile)
    assert round(float(pdf_reader(path).pages[0].mediabox.width)) == 612
    path = build("diazepam", "es", project=project, pharmacy=profile, paper="a4")
    assert round(float(pdf_reader(path).pages[0].mediabox.width)) == 595


@pytest.mark.parametrize("lang", ["es", "ar", "zh_Hans"])
def test_large_print_is_at_least_16_pt_with_larger_headings(shared_project, lang):
    path = build("diazepam", lang, project=shared_project, large_print=True)
    assert path.name == "diazepam.large.pdf"
    with pdfplumber.open(path) as pdf:  # the whole page: the running head and foot are 16 pt too (issue 24)
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
    sizes = collections.Counter(round(c["size"]) for c in chars)
    assert min(sizes) >= 16, sizes
    assert max(sizes) > sizes.most_common(1)[0][0]
    assert not any("Italic" in c["fontname"] for c in chars)


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_bilingual_pairs_the_language_with_english(shared_project, lang):
    path = build("diazepam", lang, project=shared_project, bilingual=True)
    assert path.name == f"diazepam.{lang}+en.pdf"
    text = squeeze(pdf_text(path))
    assert squeeze("Diazepam belongs to a class of medicines called benzodiazepines.") in text
    translated = load_translations(shared_project, lang, ["diazepam"]).lookup("what.heading", "What is diazepam?")
    assert squeeze(translated) in text
    page, chars = body_chars(path, 1)
    latin = [c["x0"] for c in chars if c["text"].isascii() and c["text"].isalpha()]
    other = [c["x0"] for c in chars if not c["text"].isascii() and c["text"].isalpha()]
    if lang == "ar":  # the Arabic column on the right, the English column on the left
        assert sorted(latin)[len(latin) // 2] < page.width / 2 < sorted(other)[len(other) // 2]


def test_two_builds_in_separate_processes_are_byte_identical_and_the_date_changes_them(project):
    code = ("import sys; from leaflet import build; from leaflet.project import Project; import datetime as dt; "
            "print(build('diazepam', 'es', project=Project(sys.argv[1]), patient='Ana', directions='bedtime', "
            "date=dt.date.fromisoformat(sys.argv[2])))")
    def run(date):
        out = subprocess.run([sys.executable, "-c", code, str(project.root), date], check=True,
                             capture_output=True, text=True).stdout.strip()
        return open(out, "rb").read()
    first, second, other_day = run("2026-11-20"), run("2026-11-20"), run("2026-11-21")
    assert first == second
    assert first != other_day


#: "Take 1 tablet in the morning and N tablets at bedtime", as a reader of the language writes it:
#: each dose in the plural form of its own count (Russian and Polish have 3 forms, Arabic 6).
PLURALS = {
    "ru": ("Принимайте 1 таблетку утром и {} перед сном.",
           {1: "1 таблетку", 2: "2 таблетки", 5: "5 таблеток", 11: "11 таблеток", 21: "21 таблетку",
            100: "100 таблеток"}),
    "pl": ("Należy przyjmować 1 tabletkę rano i {} przed snem.",
           {1: "1 tabletkę", 2: "2 tabletki", 5: "5 tabletek", 11: "11 tabletek", 21: "21 tabletek",
            100: "100 tabletek"}),
    "ar": ("تناول 1 قرص في الصباح و{} عند النوم.",
           {1: "1 قرص", 2: "2 قرصين", 5: "5 أقراص", 11: "11 قرصًا", 21: "21 قرصًا", 100: "100 قرص"}),
    "es": ("Tome 1 comprimido por la mañana y {} al acostarse.",
           {1: "1 comprimido", 2: "2 comprimidos", 5: "5 comprimidos", 11: "11 comprimidos", 21: "21 comprimidos",
            100: "100 comprimidos"}),
}


def printed_directions(html):
    found = re.search(r'<p class="directions">(.*?)</p>', html)
    assert found, "no directions on the page"
    return html_lib.unescape(re.sub(r"<[^>]+>", "", found.group(1))).replace("\u2060", "")


@pytest.mark.parametrize("lang", PLURALS)
@pytest.mark.parametrize("count", [1, 2, 5, 11, 21, 100])
def test_each_dose_takes_the_plural_form_of_its_own_count(shared_project, lang, count):
    sentence, doses = PLURALS[lang]
    options = BuildOptions(directions=f"morning=1,bedtime={count}", patient="X")
    content = read_leaflet(shared_project.content_file("diazepam"))
    translations = load_translations(shared_project, lang, ["frame", "directions", "diazepam"])
    html = leaflet_html(shared_project, content, translations, options)
    assert printed_directions(html) == sentence.format(doses[count])
    assert f'<bdi dir="ltr">{count}</bdi>' in html  # each count reads as typed


def page_one(path):
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("lang", "count"), [("es", 2), ("ru", 21), ("pl", 5), ("ar", 2)])
def test_the_directions_are_printed_on_page_one(built, lang, count):
    path = built(lang, directions=f"morning=1,bedtime={count}", patient="X")
    sentence, doses = PLURALS[lang]
    expected = sentence.format(doses[count])
    printed = without_marks(squeeze(page_one(path)))
    if language(lang).direction == "ltr":
        assert without_marks(squeeze(expected)) in printed
    else:  # pdftotext reorders right-to-left runs: every word and number of the sentence is on page 1
        assert all(without_marks(token) in printed for token in re.findall(r"\d+|[^\s\d.]+", expected))


def without_marks(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M"))


@pytest.mark.parametrize("lang", Project.default().languages())
def test_an_old_code_prints_what_its_time_of_day_prints(shared_project, lang):
    """--directions bedtime --count 2, as before the times of day: now the sentence of bedtime=2."""
    def sentence(text, count=1):
        return directions_sentence(shared_project, "diazepam", lang, BuildOptions(directions=text, count=count))

    for code in ("morning", "evening", "bedtime"):
        assert sentence(code, 2) == sentence(f"{code}=2")
    if lang == "en":  # the English of the old codes is unchanged
        old_codes = ("bedtime", "morning", "evening", "twice-daily")
        assert [re.sub(r"<[^>]+>", "", sentence(code, 2)) for code in old_codes] == [
            "Take 2 tablets at bedtime.", "Take 2 tablets in the morning.", "Take 2 tablets in the evening.",
            "Take 2 tablets twice a day."]


@pytest.mark.parametrize(("directions", "message"), [
    ("morning=1", "zolpidem's source does not support the directions 'morning'"),
    ("twice-daily", "zolpidem's source does not support the directions 'twice-daily'"),
    ("bedtime=1,evening=1", "zolpidem's source does not support the directions 'evening'"),
])
def test_a_leaflet_prints_only_the_directions_its_source_supports(shared_project, directions, message):
    with pytest.raises(UsageError) as exc:
        build("zolpidem", "es", project=shared_project, directions=directions, patient="X")
    assert str(exc.value).startswith(message) and "zolpidem allows only: bedtime" in str(exc.value)


@pytest.mark.parametrize("patient", [
    '<img src="file:///etc/passwd"> & <b>bold</b> &amp; {name}',
    "W" * 300,
    "Nombre " * 60,
])
def test_personal_text_prints_as_text_and_wraps(project, patient):
    path = build("diazepam", "es", project=project, patient=patient)
    text = squeeze(pdf_text(path))
    assert squeeze(patient) in text
    page, chars = body_chars(path)
    right = page.width - 17 / 25.4 * 72
    assert all(c["x1"] <= right + 1 for c in chars)


@pytest.mark.parametrize("options", [{"count": 0}, {"directions": "hourly"}, {"patient": "  "}, {"paper": "a3"}])
def test_bad_personalisation_is_a_usage_error(shared_project, options):
    with pytest.raises(UsageError):
        build("diazepam", "es", project=shared_project, **options)
