"""What the pharmacist types prints as typed, in every direction: read back from the page.

The PDF's own text is in logical order, so it cannot show a phone number whose groups are
drawn in reverse: the page is read as a person reads it, by OCR (tesseract, English, which
reads the Latin runs left to right as they are drawn)."""

from __future__ import annotations

import subprocess

import pytest

from leaflet import build
from leaflet.languages import language
from leaflet.render.html import typed_html

PHONE = "+44 (0)20 7946 0958 ext. 123"
URL = "https://www.nhs.uk/medicines/diazepam/"
#: Free directions that start in English and go on in the patient's script, with a dose and its
#: unit, a time, a phone number and a web address: the cases that printed wrongly (issue 24).
TYPED = {
    "ar": f"Take with water. تناول 2.5 mg عند الساعة 22:00 واتصل على {PHONE} أو {URL}",
    "fa": f"Take with water. ۲.۵ را بخورید: 2.5 mg ساعت 22:00 و با {PHONE} تماس بگیرید یا {URL}",
    "yi": f"Take with water. נעמט 2.5 mg 22:00 און רופֿט {PHONE} אָדער {URL}",
    "es": f"Tomar con agua: 2.5 mg a las 22:00; llame al {PHONE} o vea {URL}",
}


def page_one_read(pdf, tmp_path) -> str:
    """The top half of page 1 (the patient's block is there), at 250 dpi."""
    subprocess.run(["pdftoppm", "-r", "250", "-png", "-f", "1", "-l", "1", "-singlefile", "-x", "0", "-y", "0",
                    "-W", "2100", "-H", "1700", str(pdf), str(tmp_path / "page")], check=True)
    return subprocess.run(["tesseract", str(tmp_path / "page.png"), "-", "-l", "eng", "--psm", "4"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(TYPED))
def test_typed_directions_read_on_the_page_as_typed(project, tmp_path, lang):
    pdf = build("diazepam", lang, project=project, patient="Ana Garcia", directions="bedtime", count=2,
                free_directions=TYPED[lang])
    seen = " ".join(page_one_read(pdf, tmp_path).split())
    # The address may break after a "/" of its path: each line's part reads as typed.
    for typed in (PHONE, "2.5 mg", "22:00", "https://www.nhs.uk/", "diazepam/", "Ana Garcia"):
        assert typed in seen, (typed, seen)


@pytest.mark.parametrize("lang, text, marked", [
    ("ar", f"اتصل على {PHONE}", f'<bdi dir="ltr" class="code nobreak">{PHONE}</bdi>'),
    ("ar", "تناول 2.5 mg", '<bdi dir="ltr">2.5 mg</bdi>'),
    ("ar", f"أو {URL}", '<bdi dir="ltr" class="code url">https://www.nhs.uk/<wbr>medicines/<wbr>diazepam/<wbr></bdi>'),
    ("es", "Tome 1 con agua. ابق في السرير", '<bdi dir="rtl">ابق في السرير</bdi>'),
    ("es", "escriba a ana@example.org.", '<bdi dir="ltr" class="code nobreak">ana@example.org</bdi>.'),
])
def test_each_value_of_the_other_direction_is_isolated_whole(lang, text, marked):
    assert marked in typed_html(text, language(lang))


def test_typed_text_stays_text():
    shaped = str(typed_html("<b>2</b> & <script>", language("ar")))
    assert "<b>" not in shaped and "<script>" not in shaped and "&lt;" in shaped and "&amp;" in shaped
