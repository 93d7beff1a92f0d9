"""Which language has audio and braille: leaflet/coverage.toml, the machine's espeak-ng and
liblouis, and the README's table say the same thing."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import REPO

from leaflet.coverage import coverage, coverage_table, require_available
from leaflet.editions.braille import table_file
from leaflet.errors import UsageError

ROWS = coverage_table()


def espeak_voices() -> set[str]:
    listing = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, check=True).stdout
    return {line.split()[1] for line in listing.splitlines()[1:]}


def test_every_shipped_language_has_a_row_and_nothing_else_does():
    assert sorted(ROWS) == REPO.languages()


@pytest.mark.parametrize("lang", sorted(ROWS))
def test_each_row_says_what_it_uses_or_why_there_is_none(lang):
    row = ROWS[lang]
    assert bool(row.voice) != bool(row.no_voice), "a voice, or the reason there is none"
    assert bool(row.braille) != bool(row.no_braille), "a braille table, or the reason there is none"
    assert (row.grade in (1, 2)) if row.braille else row.grade is None


def test_every_voice_named_is_installed():
    assert sorted(row.voice for row in ROWS.values() if row.voice and row.voice not in espeak_voices()) == []


@pytest.mark.parametrize("lang", sorted(lang for lang, row in ROWS.items() if row.braille))
def test_every_braille_table_named_is_installed_with_the_grade_it_claims(lang):
    text = table_file(ROWS[lang].braille).read_text(encoding="utf-8", errors="replace")
    declared = re.search(r"^#\+grade:\s*(\d)", text, re.MULTILINE)
    if declared:  # a table that says its grade must say the one we print in the README
        assert int(declared.group(1)) == ROWS[lang].grade


def test_an_edition_a_language_lacks_is_refused_with_its_reason():
    with pytest.raises(UsageError, match="no audio edition in 'yi': .*no Yiddish voice"):
        require_available("audio", "yi")
    assert coverage("es").unavailable("html") == coverage("yi").unavailable("epi") == ""


def test_the_readme_table_is_the_coverage_file():
    readme = (REPO.root / "README.md").read_text(encoding="utf-8")
    rows = {cells[0].split()[0]: cells for line in readme.splitlines()
            if line.startswith("| ") and len(cells := [c.strip() for c in line.strip("|").split("|")]) == 5
            and cells[0].split()[0] in ROWS}
    assert sorted(rows) == sorted(ROWS)
    for lang, (_, audio, braille, html, epi) in rows.items():
        row = ROWS[lang]
        assert audio == (f"`{row.voice}`" if row.voice else f"none: {row.no_voice}"), lang
        assert braille == (f"`{row.braille}`, grade {row.grade}" if row.braille else f"none: {row.no_braille}"), lang
        assert html == epi == "yes"
