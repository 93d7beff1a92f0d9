"""The counter's page in a real browser: Debian's Chromium, driven by Playwright.

The server runs in a thread on a free port of 127.0.0.1 with a copy of the
project; the browser is the system's ``/usr/bin/chromium`` (no browser
download). The PDF a click makes is taken from the response as the browser
receives it and read with pdftotext, as in every other test.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from conftest import copy_project, pdf_bytes_text, squeeze
from playwright.sync_api import Browser, Page, expect

from leaflet.counter import Settings, create_app

pytestmark = pytest.mark.browser
PATIENT = "Ana García"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("counter")
    app = create_app(copy_project(folder / "project"), Settings(data_dir=folder / "data"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 300  # a guard against a hang, not a measurement: a busy machine is slow
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the counter did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def open_page(browser: Browser, server: str) -> Iterator[Callable[..., Page]]:
    contexts = []

    def open_page(**options) -> Page:
        context = browser.new_context(viewport={"width": 1100, "height": 900}, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(server + "/")
        return page

    yield open_page
    for context in contexts:
        context.close()


def make_leaflet(page: Page, press: Callable[[], None]) -> bytes:
    """Press the button (or key) that makes the leaflet; the PDF opens in the browser's
    viewer, and its bytes are taken as the browser receives them."""
    received: list[bytes] = []

    def keep(route) -> None:
        response = route.fetch()
        received.append(response.body())
        route.fulfill(response=response)

    page.context.route("**/print", keep)
    press()
    page.wait_for_url("**/print")
    assert len(received) == 1
    assert received[0].startswith(b"%PDF-"), received[0][:300]
    return received[0]


def tab_to(page: Page, element_id: str) -> None:
    """Tab through the page, as a keyboard user does, until the element has the focus."""
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"#{element_id} cannot be reached with Tab")


def assert_arabic_leaflet(pdf: bytes) -> None:
    text = pdf_bytes_text(pdf)
    assert PATIENT in text
    assert "تناول" in text and "قرصين عند النوم" in text  # "Take 2 tablets at bedtime." in Arabic's dual form
    assert "للنوم" in squeeze(text)  # the Arabic title


def test_find_arabic_by_typing_its_english_name_and_make_the_leaflet(open_page):
    page = open_page()
    assert "Arabic" in page.locator('#languages option[value="ar"]').get_attribute("label")
    page.get_by_label("Patient's language").fill("arabic")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Morning", exact=True).fill("1")
    page.get_by_label("Bedtime", exact=True).fill("2")
    page.get_by_label("Bedtime", exact=True).dispatch_event("change")
    # The page's script asks for the sentence at each change; wait for the last answer.
    sentence = page.locator("#sentence .patient-text")
    expect(sentence).to_have_text("تناول 1 قرص في الصباح و2 قرصين عند النوم.")
    expect(sentence).to_have_attribute("dir", "rtl")
    expect(page.locator("#sentence .english-text")).to_have_text(
        "Take 1 tablet in the morning and 2 tablets at bedtime.")
    assert_arabic_leaflet(make_leaflet(page, lambda: page.get_by_role("button", name="Make the leaflet").click()))


def test_the_same_by_keyboard_alone(open_page):
    page = open_page()
    tab_to(page, "lang")
    page.keyboard.type("arabic")
    tab_to(page, "patient")
    page.keyboard.type(PATIENT)
    tab_to(page, "dose-bedtime")
    page.keyboard.type("2")
    tab_to(page, "make")
    expect(page.locator("#dose-bedtime")).to_have_value("2")
    assert_arabic_leaflet(make_leaflet(page, lambda: page.keyboard.press("Enter")))


def test_the_page_works_without_javascript(open_page):
    page = open_page(java_script_enabled=False)
    page.get_by_label("Patient's language").fill("فارسی")
    page.get_by_label("Morning", exact=True).fill("3")
    page.get_by_role("button", name="Show the sentence").click()
    expect(page.locator("#sentence .patient-text")).to_have_attribute("lang", "fa")
    expect(page.locator("#sentence .english-text")).to_have_text("Take 3 tablets in the morning.")
    page.get_by_label("Patient's name").fill(PATIENT)
    text = pdf_bytes_text(make_leaflet(page, lambda: page.get_by_role("button", name="Make the leaflet").click()))
    assert PATIENT in text and "۳" in text  # Farsi prints the count in its own digits


def test_no_accessibility_violations(open_page):
    page = open_page()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_label("Patient's language").fill("arabic")
    page.get_by_label("Bedtime", exact=True).fill("1")
    expect(page.locator("#sentence .english-text")).to_have_text("Take 1 tablet at bedtime.")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_refused_leaflet_shows_the_reason_on_the_page_with_what_was_typed(open_page):
    page = open_page()  # axe needs JavaScript to run
    page.get_by_label("Patient's language").fill("klingon")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_role("button", name="Make the leaflet").click()
    page.wait_for_url("**/print")
    expect(page.get_by_role("alert")).to_contain_text("No language is called “klingon”.")
    expect(page.get_by_label("Patient's name")).to_have_value(PATIENT)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_history_page_makes_a_patients_leaflet_again_without_the_name(open_page, server):
    page = open_page()
    page.get_by_label("Patient's language").fill("arabic")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Bedtime", exact=True).fill("2")
    make_leaflet(page, lambda: page.get_by_role("button", name="Make the leaflet").click())
    page.goto(server + "/")
    page.get_by_role("link", name="Print history").click()
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tbody tr").first).to_contain_text("for a patient: bedtime × 2")
    assert PATIENT not in page.content()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("link", name="Make it again").first.click()
    expect(page.get_by_label("Patient's language")).to_have_value("ar")
    expect(page.get_by_label("Bedtime", exact=True)).to_have_value("2")
    expect(page.get_by_label("Morning", exact=True)).to_have_value("")
    expect(page.get_by_label("Patient's name")).to_have_value("")


def test_a_medicine_offers_only_the_times_of_day_its_source_supports(open_page):
    """Zolpidem is taken only at bedtime: typing it disables the other times and the old codes."""
    page = open_page()
    expect(page.get_by_label("Morning", exact=True)).to_be_enabled()
    page.get_by_label("Medicine").fill("zolpidem")
    page.get_by_label("Medicine").dispatch_event("change")
    for moment in ("Morning", "Noon", "Evening"):
        expect(page.get_by_label(moment, exact=True)).to_be_disabled()
    expect(page.get_by_label("Bedtime", exact=True)).to_be_enabled()
    expect(page.locator("#doses-source")).to_have_text(
        "This medicine's source supports only these times of day: bedtime")
    expect(page.get_by_label("Other standard directions")).to_be_hidden()
