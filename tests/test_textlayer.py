"""The text layer: what pdftotext and pypdf read back from the glyphs is the text, in order."""

import subprocess
from pathlib import Path

import pytest
import weasyprint.draw.text
from PIL import Image, ImageChops

from leaflet.render import preflight, render, textlayer
from leaflet.render.printed import read_printed
from leaflet.render.printing import print_pdf

#: Scripts whose vowel signs are drawn before the consonant they follow in the text.
PRE_BASE = ["bn", "ne", "my"]

PARAGRAPH = {
    "bn": "পেশির আক্ষেপের কারণে ঘুমের সমস্যা হতে পারে।",
    "ne": "निद्राका लागि सिफारिस गरिन्छ।",
    "my": "ဆေးဝါးကို နေ့စဉ် သောက်ပါ။",
}


def _shares(data: bytes, pages) -> list[tuple[str, int, float]]:
    """(reader, page, in-order share) for every page, read as the preflight reads it."""
    printed = read_printed(data)
    read_back = preflight._pdftotext_pages(preflight._start_pdftotext(data))
    shares = []
    for index, laid_out in enumerate(pages):
        head, flow, foot = (preflight.normalised(part) for part in (laid_out.head, laid_out.flow, laid_out.foot))
        orders = [head + flow + foot, flow + head + foot, flow + foot + head]
        for reader, text in (("pdftotext", read_back[index]), ("pypdf", printed.reader.pages[index].extract_text())):
            shares.append((reader, index + 1, preflight._best_share(orders, preflight.normalised(text))[0]))
    return shares


@pytest.mark.parametrize("lang", PRE_BASE)
def test_pre_base_vowels_read_back_in_order_from_both_readers(shared_project, lang):
    rendered = render("diazepam", lang, project=shared_project)
    low = [(reader, page, f"{share:.1%}") for reader, page, share in _shares(rendered.data, rendered.pages)
           if share < preflight.TEXT_LAYER_SHARE]
    assert not low


def _paragraph_pdf(project, lang: str) -> bytes:
    html = f'<html lang="{lang}"><head><title>t</title></head><body><p>{PARAGRAPH[lang]}</p></body></html>'
    return print_pdf(project, html, lang)[0].data


def _unpatched(monkeypatch) -> None:
    """WeasyPrint's own drawing order: visual, the vowel sign before its consonant."""
    monkeypatch.setattr(weasyprint.draw.text, "draw_first_line", weasyprint.draw.text.draw_first_line.__wrapped__)
    monkeypatch.setattr(textlayer, "_in_reading_order", lambda draw_first_line: draw_first_line)


def _pypdf_words(data: bytes) -> list[str]:
    return preflight.normalised(read_printed(data).reader.pages[0].extract_text())


@pytest.mark.parametrize("lang", PRE_BASE)
def test_a_paragraph_reads_back_in_order_only_with_the_glyphs_drawn_in_reading_order(shared_project, monkeypatch,
                                                                                       lang):
    words = preflight.normalised(PARAGRAPH[lang])
    assert _pypdf_words(_paragraph_pdf(shared_project, lang)) == words
    _unpatched(monkeypatch)
    assert _pypdf_words(_paragraph_pdf(shared_project, lang)) != words


@pytest.mark.parametrize("lang", ["bn", "my"])
def test_the_page_looks_the_same_whatever_the_drawing_order(shared_project, monkeypatch, tmp_path, lang):
    patched = _paragraph_pdf(shared_project, lang)
    _unpatched(monkeypatch)
    before = _paragraph_pdf(shared_project, lang)
    a, b = (_picture(data, tmp_path / name) for data, name in ((before, "before"), (patched, "after")))
    difference = ImageChops.difference(a, b)
    # Glyphs keep their places to a thousandth of an em: anti-aliasing may differ a little, no more.
    assert difference.getextrema()[1] <= 100


def _picture(data: bytes, stem: Path) -> Image.Image:
    stem.with_suffix(".pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(stem.with_suffix(".pdf")), str(stem)],
                   check=True)
    return Image.open(stem.with_suffix(".png")).convert("L")


def test_a_long_pen_move_is_written_as_short_ones():
    item = b"[<0012>-180<0034>4<0056>-30.5<0078>] TJ"
    moved = textlayer._short_moves(item)
    assert moved == b"[<0012>-45 -45 -45 -45<0034>4<0056>-30.5<0078>] TJ"
    assert textlayer._short_moves(b"1 0 0 -1 0 0 Tm") == b"1 0 0 -1 0 0 Tm"
