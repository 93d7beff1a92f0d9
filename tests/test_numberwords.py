"""Numbers written in words, from CLDR's spell-out rules: what is read, and what is not."""

import pytest

from leaflet.catalogs.numberwords import covers, number_words
from leaflet.languages import LANGUAGES

#: CLDR has no spell-out rules for these: their number words are not read (the README says so).
NOT_COVERED = {"bn", "ht", "ps", "so", "ur", "yi"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_with_cldr_spell_out_rules_is_covered(lang):
    assert covers(lang) is (lang not in NOT_COVERED)


@pytest.mark.parametrize("lang, text, values", [
    ("en", "Take twenty-one tablets twice a day", [21, 2]),
    ("es", "Tome dos comprimidos dos veces al día", [2, 2]),
    ("ru", "двух трёх", [2, 3]),                    # cases, and ё read as е
    ("pl", "dwóch", [2]),
    ("ro", "de două ori, şase", [2, 6]),            # cedilla or comma below
    ("ar", "إثنان اثنين ثلاث", [2, 2, 3]),          # alef forms, the oblique dual, no ta marbuta
    ("fa", "دو بار", [2]),
    ("fil", "dalawang beses", [2]),                 # the linker
    ("ko", "하루 두 번", [2]),
    ("zh_Hans", "每日服用两次，十二天", [2, 12]),
    ("zh_Hant", "每日服用兩次", [2]),
    ("sw", "mara mbili", [2]),
    ("am", "በቀን ሁለት ጊዜ", [2]),
    ("my", "ဆေးပြား နှစ် ပြား", [2]),                  # a word between spaces only
])
def test_number_words_are_read_with_their_value(lang, text, values):
    assert [word.value for word in number_words(text, lang)] == values


@pytest.mark.parametrize("lang, text", [
    ("zh_Hans", "十分重要"),          # "very"
    ("zh_Hans", "第二天"),            # an ordinal: "the next day"
    ("zh_Hant", "二氮平與苯二氮平類"),  # diazepam, benzodiazepines
    ("zh_Hant", "參考"),              # "reference": 參 is 3 only on cheques
    ("fa", "نه"),                    # "no"
    ("ne", "एलर्जी छ"),               # "is"
    ("ro", "a doua zi"),             # "the next day"
    ("ko", "이 약"),                  # "this medicine"
    ("vi", "sau một năm"),           # "after" (not sáu, six), "year"
    ("vi", "không"),                 # "not": zero is never read
    ("my", "တစ်နေ့လျှင် နှစ်ကြိမ်"),       # syllables of longer words
    ("so", "laba kiniin"),           # no spell-out rules
])
def test_words_that_only_look_like_numbers_are_not_read(lang, text):
    assert [word.value for word in number_words(text, lang) if word.value != 1] == []
