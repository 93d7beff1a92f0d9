"""What the pharmacist types prints as typed, in every direction: read back from the page.

The PDF's own text is in logical order, so it cannot show a phone number whose groups are
drawn in reverse: the page is read as a person reads it, by OCR (tesseract, English, which
reads the Latin runs left to right as they are drawn)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from leaflet import build
from leaflet.languages import language
from leaflet.render.html import typed_html
from leaflet.render.printed import page_text_runs, read_printed

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
    """The top half of page 1 (the patient's block is there), at 300 dpi (at 250, tesseract read
    the Arabic page's "2.5 mg", drawn right, as "2.55 mg")."""
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", "-singlefile", "-x", "0", "-y", "0",
                    "-W", "2520", "-H", "2040", str(pdf), str(tmp_path / "page")], check=True)
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
    # A number in the leaflet's own digits belongs to its sentence, not to the English before it.
    ("fa", "Take with water. ۲.۵ را بخورید", '<bdi dir="ltr">Take with water.</bdi> <bdi dir="ltr">۲.۵</bdi> را'),
    ("fa", "شماره ۰۹۱۲ ۳۴۵ ۶۷۸۹", '<bdi dir="ltr" class="code nobreak">۰۹۱۲ ۳۴۵ ۶۷۸۹</bdi>'),
    ("fa", "۲.۵ mg", '<bdi dir="ltr">۲.۵ mg</bdi>'),
])
def test_each_value_of_the_other_direction_is_isolated_whole(lang, text, marked):
    assert marked in typed_html(text, language(lang))


def test_typed_text_stays_text():
    shaped = str(typed_html("<b>2</b> & <script>", language("ar")))
    assert "<b>" not in shaped and "<script>" not in shaped and "&lt;" in shaped and "&amp;" in shaped


#: The patient's name in the leaflet's script, tesseract's traineddata for it (leaflet/system.toml)
#: and the resolution it reads best at (at 250 dpi ben drops the first line of the patient's block).
READERS = {"es": ("Ana García", "spa", 250), "ar": ("سارة أحمد", "ara", 250), "fa": ("سارا احمدی", "fas", 250),
           "bn": ("আনা গার্সিয়া", "ben", 200), "zh_Hans": ("王小明", "chi_sim", 250)}
PROFILE_PHONE = "+44 (0)20 7946 0958"
#: tesseract's fas reads Noto Naskh's Persian ۳ and ۴ as ۲; ۵ it reads in every script here.
COUNT = 5


def read_block(pdf, data, page, holds, ocr_lang, dpi, tmp_path) -> str:
    """OCR of the block of ``page`` (from 1) whose first line ``holds`` a run: only that band of
    the page. The PDF's text only says where to look; what is read is the image."""
    runs = page_text_runs(read_printed(data).pages[page - 1])
    first = next(run for run in runs if holds(run))
    block = [run for run in runs if run.elements[:1] == first.elements[:1]]
    scale, margin = dpi / 72, 6  # margin: points around the block's text, inside its frame
    left, right = min(r.x0 for r in block) - margin, max(r.x1 for r in block) + margin
    top, bottom = min(r.top for r in block) - margin, max(r.bottom for r in block) + margin
    image = tmp_path / f"band-{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    "-x", str(int(left * scale)), "-y", str(int(top * scale)), "-W", str(int((right - left) * scale)),
                    "-H", str(int((bottom - top) * scale)), str(pdf), str(image)], check=True)
    return " ".join(subprocess.run(["tesseract", f"{image}.png", "-", "-l", ocr_lang, "--psm", "4"],
                                   capture_output=True, text=True, check=True).stdout.split())


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(READERS))
def test_a_second_reader_reads_the_name_the_count_and_the_phone(project, tmp_path, lang):
    """The personalised page as a patient sees it, read by OCR in the leaflet's script: the
    patient's name as typed, the count in the locale's digits, the pharmacy's phone as typed
    (ASCII digits: a Bengali "+৪৪" is read "+88")."""
    name, ocr_lang, dpi = READERS[lang]
    profile = tmp_path / "pharmacy.toml"
    profile.write_text(f'name = "Riverside Community Pharmacy"\naddress = "12 River Street"\n'
                       f'phone = "{PROFILE_PHONE}"\n', encoding="utf-8")
    pdf = build("diazepam", lang, project=project, pharmacy=str(profile), patient=name, directions="bedtime",
                count=COUNT, date=dt.date(2026, 11, 20))
    data = pdf.read_bytes()
    personal = read_block(pdf, data, 1, lambda run: run.path[:1] == ("Sect",), ocr_lang, dpi, tmp_path)
    assert name in personal and language(lang).native_digits(str(COUNT)) in personal, personal
    last = len(read_printed(data).pages)
    contact = read_block(pdf, data, last, lambda run: "Riverside" in run.text, "eng", dpi, tmp_path)
    assert PROFILE_PHONE in contact, contact
