"""The accessible HTML edition (``leaflet.editions.web``): the page's structure read against
the model, without a browser; then the page in Chromium, checked by axe-core and read through
its accessibility tree, as a screen reader gets it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element

import pytest
import tinyhtml5
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from leaflet import build
from leaflet.editions.made import Source, read_source
from leaflet.editions.reading import Block
from leaflet.editions.web import check_page, make_html
from leaflet.errors import EditionFailed
from leaflet.languages import LANGUAGES
from leaflet.project import Project
from leaflet.render.edition import resolve_edition
from leaflet.render.options import BuildOptions

HTML = BuildOptions(medium="html")
PERSONAL = BuildOptions(medium="html", patient="Ana García", directions="bedtime", count=2,
                        free_directions="Half a tablet with water", date=dt.date(2026, 11, 20))
#: The languages the page is looked at in: left to right, right to left, Chinese.
SHOWN = [("es", "es", "ltr"), ("ar", "ar", "rtl"), ("zh_Hans", "zh-Hans", "ltr")]


@pytest.fixture(scope="module")
def made(shared_project: Project) -> Callable[..., tuple[Source, str]]:
    """The model and the page of a leaflet, made once per module."""

    @functools.cache
    def made(lang: str, leaflet: str = "diazepam", options: BuildOptions = HTML) -> tuple[Source, str]:
        source, _ = read_source(shared_project, resolve_edition(shared_project, leaflet, lang, options))
        return source, make_html(source).data.decode("utf-8")

    return made


def parse(page: str) -> Element:
    return tinyhtml5.parse(page, namespace_html_elements=False)


def text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def squeezed(value: str) -> str:
    return " ".join(value.split())


def h2_expected(source: Source) -> list[str]:
    """Each section's heading, and each label outside the header (the patient's directions)."""
    return [block.plain for section in source.sections
            for block in [*([section.heading] if section.heading else []),
                          *(b for b in section.blocks if b.kind == "label" and section.key != "header")]]


def title_of(source: Source) -> Block:
    return next(block for block in source.sections[0].blocks if block.kind == "title")


@pytest.mark.parametrize(("lang", "tag", "direction"), SHOWN)
def test_the_page_says_its_language_direction_and_title(made, lang, tag, direction):
    source, page = made(lang)
    root = parse(page)
    assert root.attrib == {"lang": tag, "dir": direction}
    assert page.startswith("<!DOCTYPE html>\n")
    assert root.find("head/meta[@charset='utf-8']") is not None
    assert root.find("head/meta[@name='viewport']") is not None
    assert text(root.find("head/title")) == squeezed(title_of(source).plain)


@pytest.mark.parametrize(("lang", "options"), [("es", HTML), ("ar", HTML), ("zh_Hans", HTML), ("ar", PERSONAL)],
                         ids=["es", "ar", "zh_Hans", "ar-personal"])
def test_one_h1_the_title_and_the_section_headings_as_h2_in_order(made, lang, options):
    source, page = made(lang, options=options)
    root = parse(page)
    assert [text(h) for h in root.iter("h1")] == [squeezed(title_of(source).plain)]
    contents = text(root.find(".//nav/h2"))  # the table of contents' own heading
    assert [text(h) for h in root.iter("h2") if text(h) != contents] == [squeezed(t) for t in h2_expected(source)]
    assert not [h for h in root.iter() if re.fullmatch(r"h[3-6]", h.tag)]


@pytest.mark.parametrize("leaflet", ["diazepam", "zolpidem"])
@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_sentence_of_the_model_is_on_the_page(made, lang, leaflet):
    source, page = made(lang, leaflet)
    root = parse(page)
    body = text(root.find("body"))
    blocks = [b for s in source.sections for b in [*([s.heading] if s.heading else []), *s.blocks]]
    missing = [block.plain for block in blocks if squeezed(block.plain) not in body]
    assert not missing
    items = [b for s in source.sections for b in s.blocks if b.kind == "item"]
    assert len(root.findall(".//main//ol/li")) == len([b for b in items if b.number is not None])
    links = root.findall(".//nav//li")
    assert len(root.findall(".//main//ul/li")) == len([b for b in items if b.number is None]) + len(links)


@pytest.mark.parametrize(("lang", "tag", "direction"), SHOWN)
def test_nothing_is_fetched_and_every_link_is_to_the_page(made, lang, tag, direction):
    _, page = made(lang)
    root = parse(page)
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert not [e.tag for e in root.iter() if e.tag in ("script", "link", "img", "iframe", "object", "svg")]
    assert not [e.tag for e in root.iter() if e.get("src") or e.get("srcset")]
    links = [e.get("href") for e in root.iter() if e.get("href") is not None]
    assert links and all(href.startswith("#") and href[1:] in ids for href in links)
    assert not re.search(r"url\(|@import|https?:", text(root.find("head/style")))
    check_page(page, tag, direction)


def test_the_landmarks_the_notices_and_the_warnings(made):
    source, page = made("es")
    root = parse(page)
    assert [e.tag for e in root.find("body")] == ["header", "main", "footer"]
    header = root.find("body/header")
    assert header.find("h1") is not None
    unreviewed = header.find("div[@class='notice unreviewed']")
    assert unreviewed.get("role") == "note"
    own, english = unreviewed.findall("p")
    assert text(own).startswith("Esta traducción aún no ha sido revisada")
    assert english.attrib == {"class": "english", "lang": "en", "dir": "ltr"}
    assert text(english).startswith("This translation has not yet been checked by a professional translator.")
    important = root.find(".//main/section[@id='important']")
    heading = important.find("h2")
    assert important.get("aria-labelledby") == heading.get("id") and text(heading) == "Información más importante"
    for section in source.sections:  # each box of warnings a note, named by its section's heading
        warnings = [b for b in section.blocks if b.kind == "warning"]
        if warnings and section.heading:
            boxes = root.findall(f".//main/section[@aria-labelledby='{section.key.removesuffix('.heading')}-heading']"
                                 "/div[@class='warning']")
            assert boxes and all(box.get("role") == "note" for box in boxes)
            assert sum(len(box.findall("p")) for box in boxes) == len(warnings)
    footer = root.find("body/footer")
    assert text(footer.find("section[@id='pharmacy']/h2")) == "Su farmacia"
    assert "Fecha de la última revisión de este prospecto" in text(footer)
    assert footer.find(".//div[@class='notice unreviewed']/p[@lang='en']") is not None


def test_english_needs_no_review_and_no_english_beside_it(made):
    _, page = made("en")
    root = parse(page)
    assert root.find(".//div[@class='notice unreviewed']") is None
    assert root.find(".//*[@lang]") is None  # only <html> says it


def test_a_personalised_leaflet_puts_the_patients_directions_first(made):
    source, page = made("ar", options=PERSONAL)
    root = parse(page)
    personal = root.find("body/main")[0]
    assert personal.get("id") == "personal"
    assert text(root.find(f".//*[@id='{personal.get('aria-labelledby')}']")) == "تعليماتك"
    assert "أُعدّت من أجل: Ana García" in text(personal)
    assert text(personal.find("p[@class='directions']")) == "تناول 2 قرصين عند النوم."
    typed = personal.find("p[@class='typed']/bdi")
    assert typed.get("dir") == "ltr" and typed.text == "Half a tablet with water"


def test_the_build_writes_one_page_with_the_pharmacy(project):
    profile = project.root / "profile.toml"
    profile.write_text('name = "Farmacia <Central>"\naddress = "Calle Mayor 1"\nphone = "+34 910 000 000"\n')
    path = build("diazepam", "es", project=project, medium="html", pharmacy=profile)
    assert path == project.root / "output" / "es" / "diazepam.html"
    page = path.read_text(encoding="utf-8")
    root = parse(page)
    assert text(root.find("body/header/p[@class='typed']")) == "Farmacia <Central>"  # typed, never markup
    footer = text(root.find("body/footer"))
    assert "Farmacia <Central>" in footer and "Calle Mayor 1" in footer and "Teléfono: +34 910 000 000" in footer
    assert path.read_bytes() == build_again(project, profile)


def build_again(project: Project, profile) -> bytes:
    """The same page made again: no timestamps, nothing that changes between builds."""
    source, _ = read_source(project, resolve_edition(project, "diazepam", "es",
                                                     BuildOptions(medium="html", pharmacy=profile)))
    return make_html(source).data


GOOD_HEAD = '<!DOCTYPE html><html lang="es" dir="ltr"><head><meta charset="utf-8">' \
            '<meta name="viewport" content="width=device-width"><title>T</title><style>p {}</style></head>'


@pytest.mark.parametrize(("body", "problem"), [
    ('<body><h1>T</h1><img src="x.png" alt="x"></body></html>', "<img> fetches"),
    ('<body><h1>T</h1><a href="https://example.org/">x</a></body></html>', "a link out of the page"),
    ('<body><h1>T</h1><a href="#nowhere">x</a></body></html>', 'a link to "#nowhere"'),
    ("<body><h1>T</h1><h2> </h2></body></html>", "an empty <h2>"),
    ("<body><h1>T</h1><h1>U</h1></body></html>", "2 <h1>, not one"),
    ("<body><h1>T</h1><p>x</div></body></html>", "</div> closes <p>"),
    ("<body><h1>T</h1><main></body></html>", "</body> closes <main>"),
    ('<body><h1>T</h1><style>@import "x.css";</style></body></html>', "the stylesheet fetches"),
])
def test_the_check_refuses_a_page_that_would_mislead(body, problem):
    check_page(GOOD_HEAD + "<body><h1>T</h1></body></html>", "es", "ltr")
    with pytest.raises(EditionFailed) as refused:
        check_page(GOOD_HEAD + body, "es", "ltr")
    assert problem in refused.value.message


def test_the_check_reports_every_problem_at_once():
    page = GOOD_HEAD.replace('lang="es" dir="ltr"', 'lang="es_ES"') + "<body><h2></h2></body></html>"
    with pytest.raises(EditionFailed) as refused:
        check_page(page, "es", "rtl")
    for problem in ('lang="es" dir="rtl"', "0 <h1>, not one", "an empty <h2>"):
        assert problem in refused.value.message


@pytest.fixture
def open_page(browser: Browser, made, tmp_path) -> Iterator[Callable[..., Page]]:
    """The page opened from its file, as a patient opens it; any request beyond the file fails the test."""
    contexts, requested = [], []

    def open_page(lang: str, options: BuildOptions = HTML, color_scheme: str = "light") -> Page:
        path = tmp_path / f"{lang}-{len(contexts)}.html"
        path.write_text(made(lang, options=options)[1], encoding="utf-8")
        context = browser.new_context(viewport={"width": 1000, "height": 800}, color_scheme=color_scheme)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.goto(path.as_uri())
        assert requested == [path.as_uri()]
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "options", "color_scheme"), [
    ("es", HTML, "light"), ("ar", HTML, "light"), ("zh_Hans", HTML, "light"), ("ar", PERSONAL, "dark"),
], ids=["es", "ar", "zh_Hans", "ar-personal-dark"])
def test_axe_finds_no_accessibility_violations(open_page, lang, options, color_scheme):
    page = open_page(lang, options, color_scheme)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["es", "ar"])
def test_a_screen_reader_reads_the_title_the_notice_then_the_headings_in_order(open_page, made, lang):
    source, _ = made(lang)
    tree = open_page(lang).locator("body").aria_snapshot()
    notice = next(b for b in source.sections[0].blocks if b.sentence and b.sentence.id == "notice.unreviewed")
    headings = re.findall(r'heading "(.*)" \[level=(\d)\]', tree)
    assert headings[0] == (squeezed(title_of(source).plain), "1")
    contents = text(parse(made(lang)[1]).find(".//nav/h2"))
    assert [h for h, level in headings[1:] if h != contents] == [squeezed(t) for t in h2_expected(source)]
    assert tree.index(f'heading "{headings[0][0]}"') < tree.index(squeezed(notice.plain)[:40]) < tree.index(
        f'heading "{headings[1][0]}"')
    important = next(s.title for s in source.sections if s.heading and s.blocks[0].kind == "warning")
    important = squeezed(important)  # the most important information: a named region and note
    assert f'- region "{important}"' in tree and f'- note "{important}"' in tree
