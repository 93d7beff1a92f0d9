"""The preflight fails what a reader rejects (issue 24): typed values not as typed, a lone word
in a bilingual column, English beside English. Each bad page is built the way the code printed
it before its fix (the same HTML with the old value, or the old layout), and the preflight must
name the page and say why; the leaflets the code prints now pass."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from weasyprint.layout import inline

from leaflet.languages import language
from leaflet.render import html as html_module
from leaflet.render import linebreak
from leaflet.render.edition import Edition, render_edition, render_html, resolve_edition
from leaflet.render.options import BuildOptions
from leaflet.render.preflight import Expected, errors, preflight
from leaflet.render.printing import print_pdf
from leaflet.render.proofread import Typed, left_to_right_parts, typed_values

PHONE = "+44 (0)20 7946 0958"
ADDRESS = ("Unit 4, Riverside Court", "12 River Street", "Springfield SP1 2AB")
FREE = {  # free directions mixing the leaflet's script and English, with a dose, a time, a phone and a URL
    "ar": "Take with water. تناول 2.5 mg عند الساعة 22:00 واتصل على +44 (0)20 7946 0958 ext. 123 أو "
          "https://www.nhs.uk/medicines/diazepam/",
    "fa": "Take with water. ۲.۵ را بخورید: 2.5 mg ساعت 22:00 و با +44 (0)20 7946 0958 ext. 123 تماس بگیرید. "
          "شماره ۰۹۱۲ ۳۴۵ ۶۷۸۹",
    "yi": "Take with water. נעמט 2.5 mg 22:00 און רופֿט +44 (0)20 7946 0958 ext. 123",
}


@pytest.fixture
def profile(project):
    path = project.root / "three-lines.toml"
    path.write_text('name = "Riverside Community Pharmacy"\naddress = """' + "\n".join(ADDRESS) + '"""\n'
                    f'phone = "{PHONE}"\n', encoding="utf-8")
    return path


def edition_of(project, lang, **options):
    return resolve_edition(project, "diazepam", lang, BuildOptions(date=dt.date(2026, 11, 20), **options))


def problems(project, edition, html=None):
    """The preflight's errors for the edition, printed from ``html`` when given (a bad page)."""
    if html is None:
        rendered = render_edition(project, edition)
    else:
        rendered, _ = print_pdf(project, html, edition.lang, edition.pharmacy, personal=edition.options.personalised,
                                bilingual=edition.options.bilingual, typed=edition.options.typed_text)
    expected = Expected(edition.lang, edition.options.large_print, rendered.pages,
                        typed=typed_values(edition.options, edition.pharmacy, edition.lang),
                        bilingual=edition.options.bilingual)
    return [str(f) for f in errors(preflight(rendered.data, expected, "t.pdf"))]


@pytest.mark.parametrize("lang", ["bn", "fa", "my", "ne", "ps"])
def test_a_phone_in_the_locales_digits_fails_with_its_page(project, profile, lang):
    edition = edition_of(project, lang, pharmacy=str(profile))
    assert problems(project, edition) == []
    page = render_html(project, edition).html
    local = language(lang).native_digits(PHONE)
    bad = page.replace(f"{PHONE}<", f"{local}<")
    assert bad != page
    found = problems(project, edition, bad)
    assert len(found) == 1 and re.search(r"t\.pdf: page \d+: error: the pharmacy's phone", found[0]), found
    assert 'is printed in other digits, "' in found[0] and local in found[0]


def test_an_address_run_together_fails(project, profile):
    edition = edition_of(project, "bn", pharmacy=str(profile))
    page = render_html(project, edition).html
    bad = page.replace("\n".join(ADDRESS), " ".join(ADDRESS))
    assert bad != page
    found = problems(project, edition, bad)
    assert len(found) == 1 and "the pharmacy's address was typed on 3 lines" in found[0], found
    assert "runs together on the page" in found[0] and "page " in found[0]


@pytest.mark.parametrize("lang", sorted(FREE))
def test_free_directions_that_are_not_isolated_fail(project, monkeypatch, lang):
    """As they printed before (issue 24): the typed text isolated whole, in the direction of its first letter."""
    edition = edition_of(project, lang, patient="Ana García", free_directions=FREE[lang])
    assert problems(project, edition) == []
    monkeypatch.setattr(html_module, "typed_html", lambda text, _lang: html_module.isolate(text))
    page = render_html(project, edition).html.replace(f'class="directions free" dir="{language(lang).direction}"',
                                                      'class="directions free"')
    found = problems(project, edition, page)
    assert found and all("t.pdf: page 1: error: the free directions" in f for f in found), found
    assert any("does not read as typed" in f and "ext. 123" in f for f in found), found


def test_english_beside_english_fails(project):
    english = edition_of(project, "en")
    edition = Edition(english.leaflet, "en", replace(english.options, bilingual=True), None)
    found = problems(project, edition)
    assert found == ["t.pdf: page 1: error: English is printed beside English: a bilingual edition sets a "
                     "language beside English, and English has none (build the bilingual edition of the other "
                     "languages only)"]


@pytest.mark.parametrize("lang", ["ko", "zh_Hans", "zh_Hant"])
def test_a_lone_word_in_a_bilingual_column_fails_and_is_mended(project, monkeypatch, lang):
    edition = edition_of(project, lang, bilingual=True, paper="letter")
    assert problems(project, edition) == []
    monkeypatch.setattr(inline, "split_first_line", linebreak._original)  # WeasyPrint's own line breaking
    monkeypatch.setattr(linebreak, "install", lambda: None)
    found = problems(project, edition)
    assert found and all("stands alone on its line in a column of the bilingual table" in f for f in found), found
    assert any('"sleeping," stands alone' in f and '"talk" would fit after it' in f for f in found), found


@pytest.mark.parametrize("lang, text, parts", [
    ("fa", "Take with water. ۲.۵ را بخورید", ["Take with water.", "۲.۵"]),
    ("fa", "شماره ۰۹۱۲ ۳۴۵ ۶۷۸۹ را بگیرید", ["۰۹۱۲ ۳۴۵ ۶۷۸۹"]),
    ("ar", "خذ ۲.۵ mg", ["۲.۵ mg"]),
    ("es", "Tome 1 con agua. ابق في السرير y llame", ["Tome 1 con agua.", "y llame"]),
])
def test_the_parts_that_read_left_to_right(lang, text, parts):
    assert left_to_right_parts(text, lang) == parts


def test_what_is_expected_as_typed(profile, project):
    edition = edition_of(project, "ar", pharmacy=str(profile), patient="سارة أحمد", free_directions="خذ 2.5 mg")
    assert typed_values(edition.options, edition.pharmacy, "ar") == (
        Typed("the pharmacy's name", ("Riverside Community Pharmacy",)), Typed("the pharmacy's address", ADDRESS),
        Typed("the pharmacy's phone", (PHONE,)), Typed("the free directions", ("2.5 mg",)))
    # Right-to-left letters are drawn shaped and right to left: only what reads left to right is compared.
    edition = edition_of(project, "es", patient="Ana García", pharmacy=str(profile))
    assert Typed("the patient's name", ("Ana García",)) in typed_values(edition.options, edition.pharmacy, "es")
