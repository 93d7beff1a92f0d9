"""The HTML stage, asserted on the printed page: text typed for a patient or a pharmacy
reads as typed in every script and direction, and medicine names are never hyphenated."""

import datetime as dt
import re
import subprocess
import unicodedata

import pytest
from conftest import pdf_reader, pdf_text, visual_lines

from leaflet import build
from leaflet.catalogs.reviews import record_review
from leaflet.languages import language
from leaflet.project import Project
from leaflet.render.html import (
    direction_of,
    format_day,
    isolate,
    isolate_ltr_runs,
    keep_words,
    mark_codes,
    mark_names,
)
from leaflet.source.content import read_names
from leaflet.source.markup import to_html

RIGHT_TO_LEFT = [code for code in Project.default().languages() if language(code).direction == "rtl"]
PHONE = "+1 555 0100"
ADDRESS = "12 River Street, Springfield"
PATIENT = "Smith, J."  # a right-to-left sentence would move its full stop to the front
FREE_DIRECTIONS = "Take 2 tablets at 10:30."
DISPENSED = dt.date(2027, 3, 19)  # a day, month and year no other date or number on the page has
#: The medicine names this leaflet prints, whatever content/names.toml says.
NAMES = ("diazepam", "Valium", "диазепам", "Валиум")


@pytest.fixture(scope="module")
def rtl_corpus(shared_project):
    """One personalised leaflet per right-to-left language with the corpus above."""
    profile = shared_project.root / "bidi-profile.toml"
    profile.write_text(f'name = "Riverside Community Pharmacy"\naddress = "{ADDRESS}"\nphone = "{PHONE}"\n',
                       encoding="utf-8")
    return {lang: build("diazepam", lang, project=shared_project, pharmacy=profile, patient=PATIENT,
                        directions="bedtime", count=2, free_directions=FREE_DIRECTIONS, date=DISPENSED)
            for lang in RIGHT_TO_LEFT}


def line_with(lines, *pieces):
    found = [line for line in lines if all(piece in line for piece in pieces)]
    assert len(found) == 1, (pieces, found)
    return found[0]


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_the_phone_number_reads_left_to_right_in_right_to_left_text(rtl_corpus, lang):
    phone = PHONE  # as typed, in every script: Persian digits would be another number to a caller
    line = line_with(visual_lines(rtl_corpus[lang]), *phone.lstrip("+").split())
    plus, groups = line.index("+"), [line.index(group) for group in phone.lstrip("+").split()]
    assert plus < groups[0] < groups[1] < groups[2]  # '+' left of its digits, groups left to right
    assert phone in line  # not "0100 555 1+"
    assert phone in pdf_text(rtl_corpus[lang])


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_the_address_keeps_its_house_number_in_front(rtl_corpus, lang):
    line = line_with(visual_lines(rtl_corpus[lang]), "River Street")
    assert ADDRESS in line  # not "River Street, Springfield 12"
    assert ADDRESS in pdf_text(rtl_corpus[lang])


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_the_patient_name_and_typed_directions_read_as_typed(rtl_corpus, lang):
    lines = visual_lines(rtl_corpus[lang], 0)
    assert PATIENT in line_with(lines, "Smith")  # not ".Smith, J"
    assert FREE_DIRECTIONS in line_with(lines, "tablets")  # not ".Take 2 tablets at 10:30"
    text = " ".join(pdf_text(rtl_corpus[lang]).split())
    assert PATIENT in text and FREE_DIRECTIONS in text


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_the_dispensing_date_reads_in_the_order_of_its_own_script(rtl_corpus, lang):
    date = format_day(DISPENSED, language(lang))
    numbers = re.findall(r"\d+", date)  # in reading order
    shown = re.findall(r"\d+", line_with(visual_lines(rtl_corpus[lang], 0), *numbers))
    # Read right to left, the first number is the rightmost; each number's digits run left to right.
    assert shown == (numbers[::-1] if direction_of(date) == "rtl" else numbers)
    # The text layer (pdftotext puts right-to-left text back in reading order) has them in order too.
    text_line = line_with(pdf_text(rtl_corpus[lang]).splitlines(), numbers[-1])
    assert re.findall(r"\d+", text_line) == numbers


@pytest.mark.parametrize("lang", ["ko", "ar"])
def test_personal_text_prints_exactly_as_typed_not_as_escaped_html(project, lang):
    path = build("diazepam", lang, project=project, patient="O'Brien & Co", date=DISPENSED)
    text = pdf_text(path)
    assert "O'Brien & Co" in text
    assert "&#39;" not in text and "&amp;" not in text


def test_korean_words_stay_joined_across_placeholders_and_tags():
    html = keep_words(to_html("**불면증:** 취침 전에 {count}정을 O'Brien & Co"))
    assert str(html) == ("<strong>불\u2060면\u2060증\u2060:</strong> 취\u2060침 전\u2060에 {count}\u2060정\u2060을 "
                         "O\u2060&#39;\u2060B\u2060r\u2060i\u2060e\u2060n &amp; C\u2060o")


def test_a_value_is_isolated_in_its_own_direction():
    assert isolate("+1 555 0100") == '<bdi dir="ltr">+1 555 0100</bdi>'
    assert isolate("محمد 12") == '<bdi dir="rtl">محمد 12</bdi>'
    assert isolate("<b>O'Brien</b>") == '<bdi dir="ltr">&lt;b&gt;O&#39;Brien&lt;/b&gt;</bdi>'


def test_latin_words_and_numbers_in_right_to_left_text_are_isolated():
    html = isolate_ltr_runs("ديازيبام (diazepam) للنوم، اتصل على +1 555 0100 أو 12 River Street: {phone}")
    assert str(html) == ('ديازيبام (<bdi dir="ltr">diazepam</bdi>) للنوم، اتصل على <bdi dir="ltr">+1 555 0100</bdi> '
                         'أو <bdi dir="ltr">12 River Street</bdi>: {phone}')
    assert str(isolate_ltr_runs("٢، ٣")) == '<bdi dir="ltr">٢</bdi>، <bdi dir="ltr">٣</bdi>'  # a list stays a list


def test_words_that_begin_with_a_medicine_name_are_marked():
    names = read_names(Project.default().names_file)
    assert set(NAMES) <= set(names)
    html = str(mark_names("Diazepamul, diazépam, диазепама, Valium으로, {name}, benzodiazepine & co", names))
    marked = re.findall(r'<span class="medicine">([^<]*)</span>', html)
    assert marked == ["Diazepamul", "diazépam", "диазепама", "Valium으로"]
    assert html.endswith(", {name}, benzodiazepine &amp; co")


HYPHENATING = [code for code in Project.default().languages() if language(code).hyphenate]


def hyphenated_names(path, names):
    """Words split at the end of a line whose two halves make a medicine name."""
    lines = pdf_text(path).splitlines()
    found = []
    for line, following in zip(lines, lines[1:], strict=False):
        end = re.search(r"(\w+)[\u2010\u00ad-]$", line.rstrip())
        start = re.match(r"\s*(\w+)", following)
        if end and start and any(fold(end.group(1) + start.group(1)).startswith(fold(n)) for n in names):
            found.append(end.group(1) + "-" + start.group(1))
    return found


def fold(word):
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).casefold()


@pytest.mark.parametrize("large_print", [False, True], ids=["standard", "large"])
@pytest.mark.parametrize("lang", HYPHENATING)
def test_medicine_names_are_never_hyphenated(built, lang, large_print):
    names = NAMES + read_names(built.project.names_file)
    assert not hyphenated_names(built(lang, large_print=large_print), names)


def test_other_words_are_still_hyphenated(built):
    """Hyphenation stays on everywhere else (and the test above would see a split word)."""
    split = [line for lang in HYPHENATING for line in pdf_text(built(lang)).splitlines()
             if re.search(r"\w\u2010$", line)]
    assert len(split) > 10


@pytest.mark.parametrize("lang", ["ar", "yi"])
def test_the_reviewer_in_a_right_to_left_footer_reads_as_typed(project, lang):
    record_review(project, lang, "diazepam", PATIENT, "2026-11-20")  # the footer is a CSS string: no <bdi> there
    path = build("diazepam", lang, project=project)
    footers = [line for line in visual_lines(path) if "Smith" in line]
    assert footers and all(PATIENT in line for line in footers)


def test_an_identifier_is_marked_whole_and_words_are_not():
    html = str(mark_codes("(DailyMed set id 04cc10ad-7d5c-434e-9b29-85b14071492b). C-IV, re-check, 7 to 8, {count}"))
    assert '<span class="code">04cc10ad-7d5c-434e-9b29-85b14071492b</span>' in html
    assert html.count("<span") == 1  # "C-IV" and "re-check" have no digit: words, hyphenated as words


@pytest.mark.parametrize("lang", ["en", "es", "ar", "zh_Hans"])
@pytest.mark.parametrize("leaflet, set_id", [("diazepam", "04cc10ad-7d5c-434e-9b29-85b14071492b"),
                                             ("zolpidem", "19622c86-72c1-46a6-b889-ee1f7cbd4665")])
def test_the_set_id_is_printed_whole_on_the_last_page(built, leaflet, set_id, lang):
    """A set id hyphenated across lines ("04c-" / "c10ad") would be copied and looked up wrong."""
    path = built(lang, leaflet)
    pages = len(pdf_reader(path).pages)
    last = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(pages), "-l", str(pages), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert set_id in re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", last)
