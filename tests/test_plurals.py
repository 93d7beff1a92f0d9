"""Plural-Forms: derived from the pinned Babel's CLDR, read as GNU gettext reads C,
written by `init`, accepted by `check` and `msgfmt -c`, and followed by `update`."""

import subprocess

import pytest
from babel import Locale
from babel.localedata import locale_identifiers
from babel.plural import PluralRule
from conftest import REPO, copy_project, run_cli

from leaflet.catalogs import plurals
from leaflet.catalogs.gate import catalog_paths, check_paths
from leaflet.catalogs.plurals import (
    cldr_partition,
    compile_c_expression,
    header_partition,
    matches_cldr,
    parse_plural_forms,
    plural_forms,
)
from leaflet.catalogs.pofile import read_catalog, write_catalog
from leaflet.languages import LANGUAGES


def _families() -> dict[tuple, list[str]]:
    """Every language Babel knows, grouped by how CLDR splits the counts 0..1000."""
    families: dict[tuple, list[str]] = {}
    for code in sorted(locale_identifiers()):
        key = tuple(sorted(tuple(sorted(group)) for group in cldr_partition(code)))
        families.setdefault(key, []).append(code)
    return families


FAMILIES = _families()
#: New languages a maintainer might start: at least one of every CLDR plural family, and more.
NEW_LANGUAGES = [
    "ja", "th", "id", "ms", "tr", "de", "nl", "sv", "el", "hu", "fi", "pt_BR", "pt", "hi", "gu", "zu", "ar_EG",
    "uk", "hr", "sr", "bs", "be", "cv", "br", "ceb", "cs", "sk", "cy", "sl", "dsb", "ga", "gd", "gv", "he", "is",
    "mk", "kw", "lt", "lv", "mt", "sgs", "shi", "tzm", "ksh", "iu", "ca", "da", "ka", "kk", "ta",
]


def test_new_languages_span_every_cldr_plural_family():
    covered = {key for key, codes in FAMILIES.items() if set(codes) & set(NEW_LANGUAGES)}
    shipped = {key for key, codes in FAMILIES.items() if set(codes) & set(LANGUAGES)}
    missing = [codes[0] for key, codes in FAMILIES.items() if key not in covered | shipped]
    assert not missing and len(NEW_LANGUAGES) >= 40


@pytest.mark.parametrize("codes", list(FAMILIES.values()), ids=lambda codes: codes[0])
def test_derived_header_groups_counts_as_cldr_for_every_locale_babel_knows(codes):
    for code in codes:
        assert header_partition(plural_forms(code)) == cldr_partition(code), code


@pytest.mark.parametrize("codes", list(FAMILIES.values()), ids=lambda codes: codes[0])
def test_gnu_msgfmt_accepts_every_derived_header(tmp_path, codes):
    header = plural_forms(codes[0])
    nplurals = parse_plural_forms(header)[0]
    forms = "".join(f'msgstr[{i}] "{{count}} x{i}"\n' for i in range(nplurals))
    po = tmp_path / "x.po"
    po.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {header}\\n"\n\n'
                  f'msgid "{{count}} x"\nmsgid_plural "{{count}} xs"\n{forms}', encoding="utf-8")
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("code", REPO.translated_languages())
def test_shipped_catalogs_agree_with_the_pinned_cldr(code):
    header = read_catalog(REPO.po_file(code, "directions")).po.metadata["Plural-Forms"]
    assert matches_cldr(code, header)


@pytest.mark.parametrize("code, nplurals", [("ar", 6), ("pl", 3), ("ru", 3), ("zh_Hans", 1), ("es", 2), ("ht", 1),
                                            ("vi", 2), ("cy", 6), ("ga", 5)])
def test_number_of_forms_is_what_whole_counts_use(code, nplurals):
    assert parse_plural_forms(plural_forms(code))[0] == nplurals


def test_categories_only_decimals_use_are_left_out():
    # Lithuanian 'many' is for fractions (f != 0): no count of tablets is one.
    assert plural_forms("lt").startswith("nplurals=3;")
    # Russian 'other' is for fractions: the last form is 'many'.
    assert parse_plural_forms(plural_forms("ru"))[1](5) == 2


def test_same_rule_written_differently_is_accepted():
    assert matches_cldr("es", "nplurals=2; plural=n==1 ? 0 : 1;")
    assert matches_cldr("pl", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")


def test_arabic_forms_follow_cldr_order():
    partition = header_partition(plural_forms("ar"))
    assert partition[4] == cldr_partition("ar")[4]  # "many": 11-99
    assert 11 in partition[4] and 100 in partition[5]


@pytest.mark.parametrize("header", ["nplurals=2; plural=(n > 1);", "nplurals=1; plural=0;"])
def test_wrong_rule_is_refused(header):
    assert not matches_cldr("pl", header)


@pytest.mark.parametrize("header", ["nplurals=2; plural=n%3;", "nplurals=2; plural=n%0;", "nplurals=2; plural=n >;",
                                    "nplurals=2; plural=garbage;", "nplurals=0; plural=0;", "nplurals=2; plural=(n;"])
def test_broken_header_is_a_value_error(header):
    with pytest.raises(ValueError):
        header_partition(header)


@pytest.mark.parametrize("expression, expected", [
    ("!n % 100 == 11", [0, 0, 0, 0]),  # C reads (!n) % 100; Python's gettext.c2py reads not (n % 100 == 11)
    ("n == 1 ? 0 : n == 2 ? 1 : 2", [2, 0, 1, 2]),
    ("n > 1 || n == 0 && 0", [0, 0, 1, 1]),
    ("(n + 1) / 2 - 1", [-1, 0, 0, 1]),
])
def test_expressions_are_read_with_c_precedence(expression, expected):
    assert [compile_c_expression(expression)(n) for n in (0, 1, 2, 3)] == expected


# -- leaflet init and check agree, for every family ------------------------------------

@pytest.fixture(scope="module")
def new_languages_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("init") / "project")


@pytest.mark.parametrize("code", NEW_LANGUAGES)
def test_init_writes_a_header_that_check_and_msgfmt_accept(capsys, new_languages_project, code):
    project = new_languages_project
    code_, _, err = run_cli(capsys, "--project", project.root, "init", code)
    assert code_ == 0, err
    paths = catalog_paths(project, [code])
    assert len(paths) == len(project.domains())  # frame, directions and one per leaflet
    header_problems = [p for result in check_paths(project, paths) for p in result.problems
                       if p.check in ("plural-forms", "header")]
    assert header_problems == []
    for path in paths:
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    header = read_catalog(project.po_file(code, "directions")).po.metadata["Plural-Forms"]
    assert header == plural_forms(code) and matches_cldr(code, header)


def test_check_suggests_a_header_that_passes(project):
    path = project.po_file("pl", "directions")
    catalog = read_catalog(path)
    catalog.po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    write_catalog(catalog.po, path)
    problems = [p for r in check_paths(project, [path]) for p in r.problems if p.message.startswith("Plural-Forms")]
    assert len(problems) == 1
    suggested = problems[0].message.split("use '")[1].rstrip("'")
    assert suggested == plural_forms("pl") and matches_cldr("pl", suggested)


# -- when CLDR changes a rule -------------------------------------------------------------

def test_update_follows_a_cldr_change_and_marks_plural_entries_fuzzy(capsys, project, monkeypatch):
    # Simulate a Babel upgrade whose CLDR gives Spanish a form of its own for 2.
    upgraded = PluralRule({"one": "n = 1", "two": "n = 2"})
    real = plurals.cldr_rule
    monkeypatch.setattr(plurals, "cldr_rule",
                        lambda code: upgraded if Locale.parse(code).language == "es" else real(code))
    plurals.cldr_partition.cache_clear()
    try:
        code, out, err = run_cli(capsys, "--project", project.root, "update")
    finally:
        plurals.cldr_partition.cache_clear()
    assert code == 0, err
    assert "es: CLDR groups the counts as form 0: 1 | form 1: 2 | form 2: 0, 3-1000" in out
    assert "(the catalog had form 0: 1 | form 1: 0, 2-1000)" in out
    assert ("Plural-Forms is now 'nplurals=3; plural=(n == 1 ? 0 : n == 2 ? 1 : 2);'; "
            "5 plural entries marked fuzzy") in out
    po = read_catalog(project.po_file("es", "directions")).po
    assert po.metadata["Plural-Forms"] == "nplurals=3; plural=(n == 1 ? 0 : n == 2 ? 1 : 2);"
    bedtime = next(e for e in po if e.msgctxt == "tablet.bedtime")
    assert bedtime.fuzzy
    assert bedtime.msgstr_plural == {0: "{count} comprimido al acostarse",
                                     1: "{count} comprimidos al acostarse",
                                     2: "{count} comprimidos al acostarse"}
    # Other languages and other catalogs' entries are left alone.
    assert "fr:" not in out and not any(e.fuzzy for e in read_catalog(project.po_file("fr", "directions")).po)


def test_update_says_which_counts_moved(capsys, project):
    # The Haitian Creole catalog as an older CLDR had it: 0-1 and 2+ apart.
    path = project.po_file("ht", "directions")
    text = path.read_text(encoding="utf-8").replace("nplurals=1; plural=0;", "nplurals=2; plural=(n > 1);")
    path.write_text(text.replace('msgstr[0] "{count} grenn nan maten"',
                                 'msgstr[0] "{count} grenn nan maten"\n'
                                 'msgstr[1] "{count} grenn nan maten!"'),
                    encoding="utf-8")
    code, out, _ = run_cli(capsys, "--project", project.root, "update")
    assert code == 0
    assert "ht: CLDR groups the counts as form 0: 0-1000 (the catalog had form 0: 0-1 | form 1: 2-1000); " \
           "0-1 now print the text of another form" in out
    morning = next(e for e in read_catalog(path).po if e.msgctxt == "tablet.morning")
    assert morning.fuzzy and morning.msgstr_plural == {0: "{count} grenn nan maten!"}
    code, out, _ = run_cli(capsys, "--project", project.root, "check", "ht")
    assert code == 1 and "fuzzy" in out
