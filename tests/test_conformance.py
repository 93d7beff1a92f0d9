"""leaflet reads .po files as GNU msgfmt does: every minimal syntax case and a sample of real
Django and Sphinx catalogs, accepted or refused alike, at the same line, with the same
translations as the compiled .mo (scripts/conformance.py). Offline: the whole corpus of the
pinned releases is read only when `make conformance` has already downloaded it."""

import runpy
from pathlib import Path

import pytest
from conftest import REPO

CONFORMANCE = runpy.run_path(str(REPO.root / "scripts" / "conformance.py"), run_name="conformance")
MINIMAL = sorted((REPO.root / "tests" / "data" / "po-syntax").glob("*.po"))
SAMPLE = sorted(CONFORMANCE["SAMPLE"].rglob("*.po"))
#: Catalogs from elsewhere in other charsets and layouts (tests/test_checks.py checks them).
FROM_ELSEWHERE = sorted((REPO.root / "tests" / "data" / "good-catalogs").rglob("*.po"))


@pytest.mark.parametrize("path", MINIMAL, ids=lambda p: p.name)
def test_each_syntax_feature_is_read_as_msgfmt_reads_it(path):
    assert CONFORMANCE["compare"](path) == ""


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_sample_of_real_catalogs_is_read_as_msgfmt_reads_it(path):
    assert CONFORMANCE["compare"](path) == ""


@pytest.mark.parametrize("path", FROM_ELSEWHERE, ids=lambda p: p.name)
def test_catalogs_in_other_charsets_read_as_the_mo_msgfmt_compiles(path):
    assert CONFORMANCE["compare"](path) == ""


def test_the_sample_is_real_files_of_both_pinned_releases():
    pinned = {f"{name}-{version}" for name, version, _ in CONFORMANCE["PINNED"]}
    assert {p.parent.name for p in SAMPLE} == pinned
    assert len(SAMPLE) >= 30


@pytest.mark.slow
def test_real_catalogs_of_django_and_sphinx_are_read_as_msgfmt_reads_them():
    files = CONFORMANCE["cached"]()
    if files is None:
        pytest.skip("the Django and Sphinx corpus is not downloaded: `make conformance` fetches it (network)")
    assert len(files) > 1000
    disagreements = [f"{Path(p).name}: {why}" for p in files if (why := CONFORMANCE["compare"](p))]
    assert disagreements == []


@pytest.mark.parametrize("name, accepted", [("octal-escape.po", True), ("comment-between-msgid-and-msgstr.po", False),
                                            ("live-and-obsolete.po", False), ("cr-line-ends.po", True)])
def test_the_minimal_cases_cover_both_sides(name, accepted):
    assert CONFORMANCE["leaflet_reading"](REPO.root / "tests" / "data" / "po-syntax" / name)[0] is accepted
