"""The counter's page as the staff use it: their own language, names as people type them,
every problem at once, a clean form for each patient, a phone's width, dates with month names.

In-process through Starlette's TestClient, and in Chromium (Playwright, Debian's
/usr/bin/chromium, axe-core) for what only a browser shows: the width, the script's
live answers, Back after printing.
"""

from __future__ import annotations

import html
import logging
import re
import tomllib
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, edit_file, pdf_bytes_text, run_cli
from playwright.sync_api import Browser, Page, expect
from starlette.testclient import TestClient
from test_browser import make_leaflet, server  # noqa: F401 - fixtures shared with the page's other browser tests

from leaflet.catalogs.extract import extract_messages
from leaflet.counter import Settings, create_app
from leaflet.counter.form import FormProblems, api_fields, check_page_form
from leaflet.counter.page_language import accepted_languages, negotiate_page_language
from leaflet.errors import UnknownLanguage
from leaflet.languages import LANGUAGES, NAMES_FILE, find_language, language_names, name_key
from leaflet.project import COUNTER_DOMAIN, FRAME_DOMAIN

PAGE_LANGUAGES = ["en", "ar", "es", "fr", "zh_Hans"]
PATIENT = "Ana García"


def make_client(project, tmp_path) -> TestClient:
    return TestClient(create_app(project, Settings(data_dir=tmp_path / "data")), base_url="http://127.0.0.1:8000")


@pytest.fixture
def client(shared_project, tmp_path) -> TestClient:
    """A counter over a copy of the project that no test changes."""
    return make_client(shared_project, tmp_path)


@pytest.fixture
def own_client(project, tmp_path) -> TestClient:
    """A counter over a copy of the project that this test may change."""
    return make_client(project, tmp_path)


def token(client: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)


# -- which language the page is in --------------------------------------------------------

@pytest.mark.parametrize(("header", "expected"), [
    ("es-MX,es;q=0.9,en;q=0.8", "es"),
    ("en-US,es;q=0.9", "en"),
    ("zh-CN,zh;q=0.9", "zh_Hans"),  # likely subtags: zh-CN is Simplified Chinese
    ("zh-TW,zh;q=0.9", "zh_Hans"),  # no Traditional page: the next the browser asks for, zh, is Simplified
    ("zh-TW", "en"),  # never Simplified for a reader who asked only for Traditional
    ("ar-EG", "ar"),
    ("de-DE,fr;q=0.5", "fr"),
    ("fr;q=0.5, ar;Q=0.8", "ar"),
    ("es;q=0, fr", "fr"),
    ("*", "en"),
    ("", "en"),
    ("; q=abc,,,ar;q=x", "en"),
    ("x" * 5000, "en"),
])
def test_the_page_language_is_the_first_the_browser_asks_for_that_the_page_has(header, expected):
    assert negotiate_page_language(header, PAGE_LANGUAGES) == expected


def test_accept_language_is_read_by_quality_then_order():
    assert accepted_languages("fr;q=0.5, es, de;q=0.5, *;q=0.1, it;q=0") == ["es", "fr", "de"]


def test_the_project_ships_the_page_in_five_languages():
    assert REPO.page_languages() == sorted(PAGE_LANGUAGES)


@pytest.mark.parametrize(("header", "lang", "direction", "heading"), [
    ("es-ES,es;q=0.9", "es", "ltr", "Folletos para pacientes"),
    ("fr-FR", "fr", "ltr", "Fiches d'information pour les patients"),
    ("zh-CN", "zh-Hans", "ltr", "患者用药资料"),
    ("ar", "ar", "rtl", "نشرات المرضى"),
])
def test_the_page_is_shown_in_the_staffs_language_marked_as_a_draft(client, header, lang, direction, heading):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 200 and response.headers["vary"] == "Accept-Language"
    assert f'<html lang="{lang}" dir="{direction}">' in response.text
    assert f"<h1>{heading}</h1>" in html.unescape(response.text)
    assert '<span lang="en" dir="ltr">(Draft translation, not reviewed.)</span>' in response.text


def test_a_language_the_page_lacks_is_passed_over_for_the_next_one_asked_for(client):
    assert '<html lang="fr" dir="ltr">' in client.get("/", headers={"Accept-Language": "de-DE,de,fr;q=0.5"}).text


def test_english_for_a_language_the_page_does_not_have_and_no_draft_notice(client):
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).text
    assert '<html lang="en" dir="ltr">' in page and "<h1>Patient leaflets</h1>" in page
    assert "Draft translation" not in page


def test_the_arabic_page_keeps_english_and_numbers_in_their_own_direction(client):
    page = client.post("/", data={"leaflet": "diazepam", "lang": "arab", "directions": "bedtime", "count": "2",
                                  "csrf": token(client)}, headers={"Accept-Language": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in page
    assert 'lang="en" dir="ltr">Take N tablets twice a day. (deprecated)</option>' in page
    assert '<p class="english-text" lang="en" dir="ltr">Take <bdi dir="ltr">2</bdi> tablets at bedtime.</p>' in page
    assert '<input id="patient" name="patient" dir="auto"' in page  # a Latin name is typed left to right


def test_a_page_catalog_that_fails_its_checks_is_not_shown_and_the_log_says_why(own_client, project, caplog):
    path = project.po_file("es", COUNTER_DOMAIN)
    edit_file(path, ('msgstr "Folletos para pacientes"', 'msgstr ""'))
    with caplog.at_level(logging.WARNING, logger="leaflet.counter"):
        page = own_client.get("/", headers={"Accept-Language": "es, fr;q=0.5"}).text
    assert '<html lang="fr" dir="ltr">' in page  # the next language the browser asked for
    assert "the counter page is not shown in 'es'" in caplog.text and "'page.heading' is not translated" in caplog.text


def test_a_translation_is_text_never_markup(project, tmp_path):
    """The gate refuses markup in a translation; and a value is escaped in any translation."""
    from leaflet.counter.page_language import CounterPage

    edit_file(project.po_file("fr", COUNTER_DOMAIN), ('msgstr "Médicament"', 'msgstr "<b>Médicament</b>"'))
    assert CounterPage(project).language_for("fr") == "en"
    words = CounterPage(project).words("es")
    shown = words.pgettext("problem.medicine.unknown",
                           "There is no leaflet for “{typed}”. The leaflets are: {medicines}.",
                           typed="<script>", medicines="x")
    assert str(shown) == "No hay ningún folleto para «&lt;script&gt;». Los folletos son: x."


# -- the counter domain in the catalogs ----------------------------------------------------

def test_the_page_has_its_own_domain_and_the_frame_none_of_its_strings():
    page = {item.context for item in extract_messages(REPO, COUNTER_DOMAIN)}
    frame = {item.context for item in extract_messages(REPO, FRAME_DOMAIN)}
    assert {"form.medicine", "problem.count", "sentence.no-directions"} <= page  # template and Python marks
    assert not page & frame
    assert all(location[0].startswith(("templates/counter/", "leaflet/counter/"))
               for item in extract_messages(REPO, COUNTER_DOMAIN) for location in item.locations)


@pytest.mark.slow
def test_check_update_and_stats_cover_the_page_where_it_was_started(capsys, project):
    code, out, _ = run_cli(capsys, "--project", project.root, "check", "es")
    checked = len(project.domains()) + 1  # and counter.po
    assert code == 0 and out.strip().endswith(f"{checked} catalog(s) checked: 0 error(s), 0 warning(s)")
    code, out, _ = run_cli(capsys, "--project", project.root, "stats")
    rows = [line.split() for line in out.splitlines() if line.startswith("(counter page)")]
    assert [row[2] for row in rows] == ["ar", "es", "fr", "zh_Hans"]
    assert all(row[5] == "0" and row[7] == "yes" for row in rows)  # "(counter page)" is two words
    code, out, _ = run_cli(capsys, "--project", project.root, "init", "it", "--page")
    assert code == 0 and out.startswith("created ") and out.strip().endswith("it/LC_MESSAGES/counter.po")
    code, out, _ = run_cli(capsys, "--project", project.root, "check", "it")
    assert code == 1 and "it/LC_MESSAGES/counter.po" in out and "'form.medicine' is not translated" in out
    code, out, _ = run_cli(capsys, "--project", project.root, "update")
    assert code == 0 and out.startswith("0 of ")
    code, _, err = run_cli(capsys, "--project", project.root, "init", "it", "--page")
    assert code == 2 and "'it' already has the page's catalog" in err


def test_a_leaflet_cannot_be_called_like_the_pages_domain():
    assert not REPO.is_leaflet_name(COUNTER_DOMAIN)


# -- names as people type them -------------------------------------------------------------

@pytest.mark.parametrize(("typed", "code"), [
    ("arab", "ar"), ("ARABE", "ar"), ("árabe", "ar"), ("العربية", "ar"), ("castellano", "es"), ("Español", "es"),
    ("espanol", "es"), ("中文", "zh_Hans"), ("chinese", "zh_Hans"), ("chino", "zh_Hans"), ("简体中文", "zh_Hans"),
    ("chinese traditional", "zh_Hant"), ("Chinese (Traditional)", "zh_Hant"), ("chinois traditionnel", "zh_Hant"),
    ("繁體中文", "zh_Hant"), ("farsi", "fa"), ("persa", "fa"), ("فارسی", "fa"), ("dari", "fa"), ("kreyol", "ht"),
    ("tagalog", "fil"), ("Burmese", "my"), ("russe", "ru"), ("zh-TW", "zh_Hant"), ("es_MX", "es"),
])
def test_a_language_is_found_by_the_names_people_type(typed, code):
    assert find_language(typed, REPO.languages()) == code


def test_a_typo_is_answered_with_the_closest_languages_and_hebrew_is_not_yiddish():
    with pytest.raises(UnknownLanguage) as found:
        find_language("arabik", REPO.languages())
    assert found.value.message == "unknown language 'arabik'; did you mean Arabic (ar)?"
    assert found.value.hint.startswith("available: am, ar, bn, en, es,")  # the API's problem lists them
    with pytest.raises(UnknownLanguage):
        find_language("hebrew", REPO.languages())


@pytest.mark.parametrize(("code", "alias"), [(code, alias) for code, names in
                                              tomllib.loads(NAMES_FILE.read_text(encoding="utf-8")).items()
                                              for alias in names], ids=str)
def test_every_alias_finds_its_language(code, alias):
    assert code in LANGUAGES
    assert find_language(alias, REPO.languages()) == code


def test_the_listing_gives_the_page_every_name_of_a_language(client):
    diazepam = client.get("/leaflets").json()["leaflets"][0]
    arabic = next(choice for choice in diazepam["languages"] if choice["code"] == "ar")
    assert {"ar", "العربية", "arabic", "arab", "arabe", "arabo"} <= {name_key(name) for name in arabic["names"]}
    names = language_names(tuple(REPO.languages()))
    assert all(names[name_key(name)] == "ar" for name in arabic["names"])


def test_the_page_shows_the_language_it_matched_in_english_and_its_own_script(client):
    page = client.post("/", data={"leaflet": "diazepam", "lang": "arab", "csrf": token(client)}).text
    assert ('Prints in: <bdi dir="ltr">Arabic — <span lang="ar" dir="rtl">العربية</span></bdi>' in page)
    page = client.post("/", data={"leaflet": "diazepam", "lang": "中文", "csrf": token(client)},
                       headers={"Accept-Language": "es"}).text
    assert ('Se imprime en: <bdi dir="ltr">Chinese (Simplified) — <span lang="zh-Hans" dir="ltr">中文 (简体)</span>'
            in page)


# -- every problem at once ------------------------------------------------------------------

def test_every_problem_in_the_form_is_shown_at_once_beside_its_field(client):
    fields = {"leaflet": "diazepam", "lang": "klingon", "patient": "Ana\u202e", "count": "0", "date_day": "31",
              "date_month": "2", "date_year": "2026", "csrf": token(client)}
    response = client.post("/print", data=fields)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    summary = re.search(r'<div class="error" role="alert".*?</div>', response.text, re.S).group()
    assert summary.count("<li>") == 4
    for field, words in (("lang", "No language is called “klingon”."),
                         ("patient", "Type the name again: at most 500 characters"),
                         ("count", "Type the number of doses as a whole number from 1 to 999."),
                         ("date_month", "There is no such date: check the day, the month and the year.")):
        assert f'<a href="#{field}">{words}' in summary
    for field in ("lang", "patient", "count", "date_day", "date_year"):
        assert re.search(rf'<(input|select) id="{field}"[^>]*aria-invalid="true"', response.text), field
    assert 'aria-describedby="lang-help lang-found lang-error"' in response.text
    assert 'value="31"' in response.text and 'value="klingon"' in response.text  # nothing typed is lost


def test_the_problems_are_in_the_staffs_language_with_dates_written_out(client):
    fields = {"leaflet": "aspirina", "lang": "arabik", "date_day": "1", "date_month": "1", "date_year": "1990",
              "csrf": token(client)}
    page = client.post("/print", data=fields, headers={"Accept-Language": "es"}).text
    assert "No hay ningún folleto para «aspirina»." in page
    assert "Ningún idioma se llama «arabik». ¿Quería decir Arabic — العربية?" in page
    assert re.search(r"Elija una fecha de dispensación entre el 1 ene 2000 y el \d+ [a-z]+ \d{4}\.", page)


def test_check_page_form_gives_the_apis_fields_or_every_problem():
    fields = check_page_form(REPO, {"leaflet": "Zolpidem", "lang": "castellano", "date_day": "3", "date_month": "2",
                                    "date_year": "2026", "count": "2"}, None)
    assert fields == {"leaflet": "Zolpidem", "lang": "castellano", "date": "2026-02-03", "count": "2"}
    with pytest.raises(FormProblems) as refused:
        check_page_form(REPO, {"leaflet": "", "lang": "", "edition": "poster", "paper": "a0"}, None)
    assert [p.name for p in refused.value.problems] == ["leaflet", "lang", "edition", "paper"]
    assert str(refused.value).startswith("Type the medicine's name.; Type the patient's language.")


def test_the_date_fields_are_one_date_and_blank_is_today():
    assert api_fields({"date_day": "3", "date_month": "12", "date_year": "2026"}) == {"date": "2026-12-03"}
    assert api_fields({"date_day": " ", "date_month": "", "date_year": "", "date": "2026-01-01"}) == {}


# -- dates, and nothing of a patient kept or sent in the address -----------------------------

def test_dates_are_written_with_the_months_name(capsys, own_client, project):
    code, _, err = run_cli(capsys, "--project", project.root, "review", "es", "--leaflet", "diazepam",
                           "--by", "Ana García", "--date", "2026-11-20")
    assert code == 0, err
    english = own_client.get("/").text
    assert "reviewed by Ana García on Nov 20, 2026" in english
    spanish = own_client.get("/", headers={"Accept-Language": "es"}).text
    assert "revisada por Ana García el 20 nov 2026" in spanish
    assert re.search(r'<option value="1"( selected)?>enero</option>', spanish)
    for page in (english, spanish):
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", page)
        assert 'type="date"' not in page  # the browser would write it as its locale does: 12/03/2026


def test_the_date_fields_follow_the_order_of_the_staffs_language(client):
    def order(lang: str) -> list[str]:
        page = client.get("/", headers={"Accept-Language": lang}).text
        return re.findall(r'<label for="date_(day|month|year)">', page)

    assert order("en") == ["month", "day", "year"]
    assert order("es") == ["day", "month", "year"]
    assert order("zh-CN") == ["year", "month", "day"]


def test_the_form_keeps_nothing_for_the_next_patient_and_sends_nothing_in_the_address(client):
    # The history's "make it again" link may choose the medicine, language, edition and standard
    # directions (fixed lists, naming nobody); what is typed for a patient never comes from an address.
    page = client.get("/?patient=Zyxqa&free_directions=Qwvzx").text
    assert "Zyxqa" not in page and "Qwvzx" not in page
    assert '<form method="post" action="/print" id="counter" novalidate autocomplete="off">' in page
    assert '<a class="button secondary" id="next" href="/">Next patient</a>' in page
    for field in ("patient", "directions", "count", "free_directions", "date_day", "date_month", "date_year"):
        assert re.search(rf'<(input|select|textarea) id="{field}"[^>]*autocomplete="off"', page), field


# -- in Chromium ----------------------------------------------------------------------------

@pytest.fixture
def open_at(browser: Browser, server: str) -> Iterator[Callable[..., Page]]:  # noqa: F811 - the imported fixtures
    contexts = []

    def open_at(width: int = 1100, locale: str = "en-US", **options) -> Page:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(server + "/")
        return page

    yield open_at
    for context in contexts:
        context.close()


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.browser
def test_the_spanish_page_passes_axe_at_desktop_and_phone_widths(open_at):
    for width in (1100, 390):
        page = open_at(width, "es-ES")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["en-US", "es-ES", "ar-EG"])
def test_the_page_fits_a_390_px_phone(open_at, locale):
    page = open_at(390, locale)
    page.locator("#directions").select_option("twice-daily")
    assert scroll_width(page) <= 390
    box = page.locator("#directions").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the directions menu is not cut off
    page.locator("#lang").fill("klingon")
    page.locator("#count").fill("0")
    page.locator("#date_day").fill("31")
    page.locator("#make").click()  # with every problem shown, still no wider
    page.wait_for_url("**/print")
    expect(page.get_by_role("alert")).to_be_visible()
    assert scroll_width(page) <= 390


@pytest.mark.browser
def test_every_problem_is_shown_at_once_in_the_browser(open_at):
    page = open_at()
    page.get_by_label("Patient's language").fill("klingon")
    page.get_by_label("Patient's name").fill("Ana\u202e")
    page.get_by_label("Number of tablets").fill("0")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").select_option("2")
    page.get_by_role("button", name="Make the leaflet").click()
    page.wait_for_url("**/print")
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("listitem")).to_have_count(4)
    for name in ("Patient's language", "Patient's name", "Number of tablets", "Day"):
        expect(page.get_by_label(name)).to_have_attribute("aria-invalid", "true")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.browser
@pytest.mark.parametrize(("typed", "shown"), [
    ("arab", "Prints in: Arabic — العربية"),
    ("中文", "Prints in: Chinese (Simplified) — 中文 (简体)"),
    ("chinese traditional", "Prints in: Chinese (Traditional) — 中文 (繁體)"),
    ("castellano", "Prints in: Spanish — español"),
    ("farsi", "Prints in: Persian — فارسی"),
    ("klingo", "No language by that name yet: keep typing, or choose one from the list."),
])
def test_the_page_says_which_language_a_typed_name_found(open_at, typed, shown):
    page = open_at()
    page.get_by_label("Patient's language").fill(typed)
    expect(page.locator("#lang-found")).to_have_text(shown)


@pytest.mark.browser
def test_after_printing_back_gives_an_empty_form_for_the_next_patient(open_at):
    page = open_at()
    page.get_by_label("Patient's language").fill("es")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Bedtime", exact=True).fill("2")
    page.get_by_label("Free directions").fill("Con agua")
    pdf = make_leaflet(page, lambda: page.get_by_role("button", name="Make the leaflet").click())
    assert PATIENT in pdf_bytes_text(pdf)
    assert "Ana" not in page.url and "patient" not in page.url
    page.go_back()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_label("Patient's name")).to_have_value("")
    expect(page.get_by_label("Bedtime", exact=True)).to_have_value("")
    expect(page.get_by_label("Free directions")).to_have_value("")
    expect(page.get_by_label("Patient's language")).to_have_value("")
    page.get_by_label("Patient's name").fill("Someone else")
    page.get_by_role("link", name="Next patient").click()
    expect(page.get_by_label("Patient's name")).to_have_value("")
