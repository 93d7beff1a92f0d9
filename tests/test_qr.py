"""QR codes to the audio and web editions, printed for a pharmacy whose counter patients reach.

Read back from the printed page (pdftoppm, zbarimg) as a phone would: the code must open
the address printed under it, and that address must be where the counter serves the edition."""

from __future__ import annotations

import subprocess

import pytest
from conftest import pdf_text, squeeze

from leaflet import build
from leaflet.source.pharmacy import read_pharmacy

PUBLIC = "https://leaflets.example.org"


@pytest.fixture
def profile(project):
    path = project.root / "public.toml"
    path.write_text('name = "Riverside Community Pharmacy"\naddress = "12 River Street"\nphone = "+1 555 0100"\n'
                    f'public_url = "{PUBLIC}/"\n', encoding="utf-8")
    return path


def scanned(pdf, tmp_path) -> list[str]:
    """What a phone's camera reads off the last page."""
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                   text=True, check=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(pages), "-l", str(pages), str(pdf),
                    str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    found = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    return sorted(found.stdout.split())


@pytest.mark.slow
@pytest.mark.parametrize("lang, media", [("es", ["html", "mp3"]), ("ar", ["html", "mp3"]), ("yi", ["html"])])
def test_the_printed_codes_open_the_addresses_printed_under_them(project, profile, tmp_path, lang, media):
    pdf = build("diazepam", lang, project=project, pharmacy=profile)
    expected = sorted(f"{PUBLIC}/leaflets/diazepam/{lang}.{suffix}" for suffix in media)
    assert scanned(pdf, tmp_path) == expected  # yi has no voice: no code to an audio edition
    text = squeeze(pdf_text(pdf))
    assert all(url in text for url in expected)


def test_no_public_url_no_codes(project, profile, tmp_path):
    profile.write_text(profile.read_text(encoding="utf-8").replace(f'public_url = "{PUBLIC}/"\n', ""),
                       encoding="utf-8")
    pdf = build("diazepam", "es", project=project, pharmacy=profile)
    assert scanned(pdf, tmp_path) == [] and "/leaflets/diazepam/" not in pdf_text(pdf)


def test_the_address_is_kept_without_its_last_slash(profile, project):
    assert read_pharmacy(profile, project.root).public_url == PUBLIC
