"""The whole pipeline, asserted on the PDF a pharmacist would print."""

import datetime as dt
import html as html_lib
import re
from dataclasses import replace

import pytest
from conftest import (
    REPO,
    UNTRANSLATE_PRECAUTIONS,
    edit_file,
    pdf_fonts,
    pdf_reader,
    pdf_text,
    squeeze,
)

from leaflet import build
from leaflet.builder.pipeline import Built, run_build
from leaflet.catalogs.extract import extract_messages
from leaflet.catalogs.pofile import read_catalog
from leaflet.catalogs.translations import load_translations
from leaflet.errors import CatalogProblems, RenderError, UnknownLanguage
from leaflet.render.context import leaflet_html
from leaflet.render.options import BuildOptions
from leaflet.source.content import read_leaflet
from leaflet.source.markup import strip_markup
from leaflet.source.pharmacy import read_pharmacy

A4 = (595.28, 841.89)
PERSONAL_ONLY = {"logo.alt", "patient.prepared-for", "directions.heading", "directions.free-text", "dispensed",
                 "pharmacy.phone"}
LETTER = (612.0, 792.0)
#: Printed only for a pharmacy whose profile has a public_url (tests/test_qr.py).
QR_ONLY = {"qr.html", "qr.audio"}


@pytest.fixture(scope="session")
def spanish_pdf(shared_project):
    return build("diazepam", "es", project=shared_project)


def test_output_path(spanish_pdf, shared_project):
    assert spanish_pdf == shared_project.root / "output" / "es" / "diazepam.pdf"


def test_every_spanish_block_is_printed(spanish_pdf, shared_project):
    # Each page without its foot ("Página 4 de 5 · ..."), so a paragraph that goes on over the
    # page reads as one; then the whole text, feet included, for the foot's own entries.
    whole = pdf_text(spanish_pdf)
    text = squeeze(" ".join(page.split("\nPágina ")[0] for page in whole.split("\f")) + whole)
    for domain in ("frame", "diazepam"):
        for entry in read_catalog(shared_project.po_file("es", domain)).entries():
            if entry.msgctxt in PERSONAL_ONLY | QR_ONLY | {"footer.reviewed", "draft.banner"}:
                continue  # shown only on personalised leaflets, with a public_url, reviewed translations, drafts
            for piece in re.split(r"\{\w+\}", strip_markup(entry.msgstr)):
                assert squeeze(piece) in text, entry.msgctxt


#: Notices printed in English beside their translation, so no translation can blank or soften them.
ENGLISH_BESIDE = {"footer.unreviewed", "draft.banner", "notice.unreviewed"}


def test_no_english_sentence_remains(spanish_pdf, shared_project):
    text = " ".join(pdf_text(spanish_pdf).split())
    squeezed = squeeze(text)
    for domain in ("frame", "diazepam"):
        for message in extract_messages(shared_project, domain):
            if message.context in ENGLISH_BESIDE:
                continue
            for sentence in re.split(r"(?<=[.:?])\s+", strip_markup(message.msgid)):
                words = re.sub(r"\{\w+\}", "", sentence)
                if len(words.split()) >= 3:
                    assert squeeze(words) not in squeezed, sentence


def test_fonts_are_embedded_and_subset(spanish_pdf):
    fonts = pdf_fonts(spanish_pdf)
    assert fonts and all(f["emb"] == "yes" and f["sub"] == "yes" for f in fonts)
    assert all("leaflet" in f["name"] for f in fonts)


def test_a4_by_default(spanish_pdf):
    box = pdf_reader(spanish_pdf).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4


def test_letter_on_request(project):
    path = build("diazepam", "es", project=project, paper="letter")
    box = pdf_reader(path).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == LETTER


def test_title_language_and_tags(spanish_pdf):
    reader = pdf_reader(spanish_pdf)
    assert reader.metadata.title == "Diazepam para dormir"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert "/StructTreeRoot" in root


def test_footer_has_translated_page_numbers_and_review_status(spanish_pdf):
    text = pdf_text(spanish_pdf)
    pages = len(pdf_reader(spanish_pdf).pages)
    assert f"Página 1 de {pages}" in text
    assert "no revisada" in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_template_entry_reaches_the_html(shared_project, lang):
    """With a pharmacy, a patient and both kinds of directions, every frame string is on the page."""
    domains = ["frame", "directions", "diazepam"]
    content = read_leaflet(shared_project.content_file("diazepam"))
    translations = load_translations(shared_project, lang, domains)
    options = BuildOptions(patient="Ana", directions="bedtime", count=2, free_directions="x")
    pharmacy = replace(read_pharmacy(REPO.root / "pharmacy.example.toml", REPO.root),
                       public_url="https://leaflets.example.org")  # the QR codes' labels too
    html = leaflet_html(shared_project, content, translations, options, pharmacy)
    flat = squeeze(html_lib.unescape(re.sub(r"<[^>]+>", "", html.replace("\\", ""))))
    flat += squeeze(" ".join(re.findall(r'alt="([^"]*)"', html_lib.unescape(html))))
    # An English leaflet has no translation to date or review, so no footer or notice about one.
    untranslated = {"footer.translation-date", "footer.unreviewed", "notice.unreviewed"}
    skipped = {"footer.reviewed", "draft.banner"} | (untranslated if lang == "en" else set())
    for domain in ("frame", "diazepam"):
        for message in extract_messages(shared_project, domain):
            if message.context in skipped:
                continue
            wanted = translations.lookup(message.context, message.msgid)
            first = strip_markup(re.split(r"\{\w+\}", wanted)[0])
            assert squeeze(first) in flat, message.context
    dose = translations.lookup_plural("tablet.bedtime", "{count} tablet at bedtime", "{count} tablets at bedtime", 2)
    sentence = translations.lookup("tablet.sentence", "Take {doses}.")
    assert squeeze(sentence.replace("{doses}", dose.replace("{count}", "2"))) in flat


def test_unknown_language_is_a_usage_error(shared_project):
    with pytest.raises(UnknownLanguage) as exc:
        build("diazepam", "xx", project=shared_project)
    assert exc.value.exit_code == 2 and "es" in str(exc.value)


def test_a_weasyprint_warning_fails_the_build_and_keeps_the_old_pdf(project):
    good = build("diazepam", "es", project=project)
    before = good.read_bytes()
    css = project.templates_dir / "leaflet.css"
    css.write_text(css.read_text() + "\nbody { colour: red; }\n")
    with pytest.raises(RenderError) as exc:
        build("diazepam", "es", project=project)
    assert "WeasyPrint" in str(exc.value)
    assert good.read_bytes() == before
    assert not list(good.parent.glob(".*.tmp"))


def test_build_refuses_an_incomplete_catalog_and_keeps_the_old_pdf(project):
    good = build("diazepam", "es", project=project)
    before = good.read_bytes()
    po = project.po_file("es", "diazepam")
    edit_file(po, UNTRANSLATE_PRECAUTIONS)
    with pytest.raises(CatalogProblems) as exc:
        build("diazepam", "es", project=project)
    assert any(p.check == "untranslated" and p.path == po for p in exc.value.problems)
    assert good.read_bytes() == before


def test_draft_prints_english_in_a_marked_box_to_its_own_file(project):
    po = project.po_file("es", "diazepam")
    edit_file(po, UNTRANSLATE_PRECAUTIONS)
    path = build("diazepam", "es", project=project, draft=True)
    assert path.name == "diazepam.draft.pdf"
    text = pdf_text(path)
    assert "Precautions" in text
    assert text.count("BORRADOR - NO APTO PARA PACIENTES") == len(pdf_reader(path).pages)


def test_a_personalised_leaflet_never_takes_the_stock_leaflets_file(project):
    stock = build("diazepam", "ar", project=project)
    before = stock.read_bytes()
    options = BuildOptions(patient="Ana García", directions="bedtime", count=2, date=dt.date(2026, 11, 20))
    personal = run_build("diazepam", "ar", project=project, options=options).path
    assert personal.parent == project.output_dir / "ar" / "personal"
    assert re.fullmatch(r"diazepam-2026-11-20-[0-9a-f]{10}\.pdf", personal.name)
    assert stock.read_bytes() == before  # byte for byte what every other patient gets
    assert "Ana García" in pdf_text(personal) and "Ana García" not in pdf_text(stock)
    # The incremental build keeps each for what it is.
    assert run_build("diazepam", "ar", project=project, rebuild=False) == Built(stock, skipped=True)
    assert run_build("diazepam", "ar", project=project, options=options, rebuild=False) == Built(personal, skipped=True)
    other = run_build("diazepam", "ar", project=project, options=replace(options, patient="Omar")).path
    assert other.parent == personal.parent and other != personal
    assert stock.read_bytes() == before


def test_a_large_print_personalised_leaflet_says_both_in_its_name(shared_project):
    path = build("diazepam", "es", project=shared_project, patient="Ana", large_print=True, date=dt.date(2026, 11, 20))
    assert path.parent.name == "personal" and path.name.startswith("diazepam.large-2026-11-20-")


def test_an_explicit_output_file_is_written_without_a_manifest(project, tmp_path):
    out = tmp_path / "handouts" / "for-ana.pdf"
    built = run_build("diazepam", "es", project=project, options=BuildOptions(patient="Ana"), out=out)
    assert built == Built(out, skipped=False) and "Ana" in pdf_text(out)
    assert [p.name for p in out.parent.iterdir()] == ["for-ana.pdf"]
    assert not project.output_file("es", "diazepam").exists()
