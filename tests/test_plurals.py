import pytest

from leaflet.languages import LANGUAGES
from leaflet.plurals import (
    cldr_partition,
    header_partition,
    matches_cldr,
    parse_plural_forms,
    plural_forms,
)


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_new_catalog_header_matches_cldr(code):
    assert matches_cldr(code, plural_forms(code))


@pytest.mark.parametrize("code, nplurals", [("ar", 6), ("pl", 3), ("ru", 3), ("zh_Hans", 1), ("es", 2), ("fr", 2)])
def test_number_of_forms(code, nplurals):
    assert parse_plural_forms(plural_forms(code))[0] == nplurals


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


def test_form_beyond_nplurals_is_an_error():
    with pytest.raises(ValueError):
        header_partition("nplurals=2; plural=n%3;")
