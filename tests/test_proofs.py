"""Looking before printing: the review proof, the contact sheet, the HTML preview."""

import re

import pytest
from conftest import UNTRANSLATE_PRECAUTIONS, edit_file, pdf_reader, pdf_text, squeeze
from PIL import Image

from leaflet.builder.batch import Job, build_all
from leaflet.catalogs.pofile import read_catalog
from leaflet.proofs.preview import write_html
from leaflet.proofs.review import write_review_proof
from leaflet.proofs.sheet import contact_sheet
from leaflet.render.options import DEFAULT_OPTIONS


def test_review_proof_has_every_entry_with_its_line_and_status(project):
    po = project.po_file("es", "diazepam")
    edit_file(po, UNTRANSLATE_PRECAUTIONS,
              ('msgctxt "summary.heading"', '#, fuzzy\n#| msgid "Summary"\nmsgctxt "summary.heading"'))
    path = write_review_proof(project, "es", "diazepam")
    assert path.name == "diazepam.review.pdf"
    reader = pdf_reader(path)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    printed = pdf_text(path)
    assert printed.count("REVIEW COPY - NOT FOR PATIENTS") == len(reader.pages)
    flat = squeeze(printed)
    for domain in ("diazepam", "frame", "directions"):
        catalog = read_catalog(project.po_file("es", domain))
        for entry in catalog.entries():
            assert squeeze(entry.msgctxt) in flat, entry.msgctxt
            assert squeeze(f"{catalog.path.name}:{catalog.line_of(entry)}") in flat, entry.msgctxt
    assert "missing" in printed and "fuzzy" in printed and "was: Summary" in printed


def test_review_proof_shows_right_to_left_translations_in_their_script(shared_project):
    text = pdf_text(write_review_proof(shared_project, "ar", "diazepam"))
    assert "ديازيبام" in text and "Diazepam for Sleep" in text


@pytest.fixture(scope="module")
def sheet(shared_project):
    jobs = [Job("diazepam", lang) for lang in shared_project.languages()]
    assert not [o for o in build_all(shared_project, jobs, DEFAULT_OPTIONS, workers=2) if o.error]
    return contact_sheet(shared_project)


def test_contact_sheet_has_one_tile_per_language_and_none_is_blank(sheet, shared_project):
    sheets, index = sheet
    [diazepam] = [s for s in sheets if s.leaflet == "diazepam"]  # a sheet per leaflet built
    png, tiles = diazepam.png, diazepam.tiles
    assert png.name == "contact-sheet-diazepam.png"
    with Image.open(png) as opened:
        assert opened.format == "PNG"
        image = opened.convert("L")
    assert len(tiles) == len(shared_project.languages())
    for tile in tiles:
        x0, y0, x1, y1 = tile.box
        inside = image.crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))  # inside the thumbnail's border
        dark = sum(1 for value in inside.tobytes() if value < 160)
        assert dark > 500, tile.label  # a page of text; a blank page has none
    labels = [t.label for t in tiles]
    assert "bn · বাংলা · diazepam" in labels and "zh_Hant · 中文 (繁體) · diazepam" in labels


def test_contact_sheet_index_links_every_thumbnail_to_its_pdf(sheet, shared_project):
    sheets, index = sheet
    [diazepam] = [s for s in sheets if s.leaflet == "diazepam"]
    assert 'href="contact-sheet-diazepam.html"' in index.read_text(encoding="utf-8")
    html = diazepam.html.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)"><img src="([^"]+)"', html)
    assert len(links) == len(shared_project.languages())
    for pdf, png in links:
        assert (diazepam.html.parent / pdf).is_file() and pdf.endswith(".pdf")
        assert (diazepam.html.parent / png).is_file() and png.endswith(".png")


def test_html_preview_references_only_local_files(project):
    path = write_html(project, "diazepam", "ar")
    html = path.read_text(encoding="utf-8")
    references = re.findall(r'(?:href|src)="([^"]+)"', html)
    css = (path.parent / "fonts.css").read_text() + (path.parent / "leaflet.css").read_text()
    references += re.findall(r'url\("?([^")]+)"?\)', css)
    assert references
    for ref in references:
        assert "://" not in ref and not ref.startswith("/"), ref
        assert (path.parent / ref).is_file(), ref
