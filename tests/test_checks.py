from pathlib import Path

import pytest

from leaflet.checks import check_catalog, numbers, same_numbers
from leaflet.pofile import read_catalog

BAD = sorted((Path(__file__).parent / "data" / "bad-catalogs").glob("*.po"))


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_each_bad_catalog_fails_its_own_check_at_its_line(path):
    line, severity, check = path.with_suffix(".expect").read_text().strip().replace(":", "").split()
    problems = check_catalog(read_catalog(path), "es")
    found = [(p.line, p.severity, p.check) for p in problems]
    assert (int(line), severity, check) in found, found
    shown = [str(p) for p in problems if p.check == check]
    assert shown[0].startswith(f"{path}:{line}: {severity}: {check}: ") or f"{path.name}:{line}: " in shown[0]


@pytest.mark.parametrize("source, translation", [
    ("Take 2.5 mg", "Tome 2,5 mg"),
    ("Up to 1,000 mg", "Hasta 1.000 mg"),
    ("Up to 1,000 mg", "Hasta 1 000 mg"),
    ("Take 2 tablets", "٢ قرص"),
    ("Take 12 tablets", "۱۲ قرص"),
    ("Take 10 tablets", "১০টি ট্যাবলেট"),
    ("Take 10 tablets", "१० ट्याब्लेट"),
    ("Take 5 mg, then 10 mg", "10 mg después de 5 mg"),
    ("Call 0800 123 456.", "Llame al 0800 123 456."),
])
def test_same_numbers_in_any_notation_or_digits(source, translation):
    assert same_numbers(source, translation)


@pytest.mark.parametrize("source, translation", [
    ("Take 2.5 mg", "Tome 25 mg"),
    ("Take 2 tablets", "Tome 3 comprimidos"),
    ("Take 2 tablets", "Tome comprimidos"),
    ("Take 12 tablets", "۱۳ قرص"),
    ("At most 10 mg", "Como máximo 100 mg"),
])
def test_changed_numbers_are_caught(source, translation):
    assert not same_numbers(source, translation)


def test_numbers_ignore_markup():
    assert len(numbers("**2** tablets")) == 1


def test_unchanged_warns_only_for_other_scripts(tmp_path):
    po = tmp_path / "ar.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"\n\n'
                  'msgctxt "a"\nmsgid "Keep this leaflet."\nmsgstr "Keep this leaflet."\n', encoding="utf-8")
    assert [(p.severity, p.check) for p in check_catalog(read_catalog(po), "ar")] == [("warning", "unchanged")]


def test_stale_catalog_is_an_error(tmp_path):
    po = Path(__file__).parent / "data" / "good-po" / "multiline.po"
    problems = check_catalog(read_catalog(po), "es", expected=[("a", "Hello world"), ("b", "New text")])
    assert [(p.severity, p.check) for p in problems] == [("error", "outdated")]
    assert "leaflet update" in problems[0].message
