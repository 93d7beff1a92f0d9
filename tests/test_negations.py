"""Negations counted per language, from leaflet/catalogs/negations.toml."""

import pytest

from leaflet.catalogs.negations import negations, unjudged
from leaflet.languages import LANGUAGES

UNJUDGED = {"am", "my"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_shipped_language_is_listed_or_says_why_not(lang):
    assert (negations(lang) is None) is (lang in UNJUDGED)
    assert bool(unjudged(lang)) is (lang in UNJUDGED)


def test_a_language_not_in_the_file_is_not_judged():
    assert negations("de") is None and "no negation list" in unjudged("de")


@pytest.mark.parametrize("lang, text, count", [
    ("en", "Do not stop, and don't lower the dose. Never share it.", 3),
    ("en", "This can happen whether or not you drink.", 0),
    ("es", "No conduzca ni haga nada sin saber.", 2),          # ni, nada agree with no; sin counts
    ("fr", "N'arrêtez pas, et ne diminuez pas la dose.", 2),   # ne ... pas is one
    ("it", "Non dia mai il diazepam.", 2),
    ("ro", "Nu conduceți; n-a știut.", 2),
    ("ru", "Не передавайте его другим. Никогда.", 2),
    ("pl", "Nie prowadź pojazdów, bez rozmowy.", 2),
    ("ar", "لا تتوقف ولا تخفض الجرعة", 2),
    ("fa", "رانندگی نکنید و نمی‌دانستند", 2),
    ("ur", "گاڑی نہ چلائیں، نہیں", 2),
    ("ko", "운전하지 마십시오. 술을 마십시오.", 1),             # 마십시오 alone is "drink"
    ("ko", "기억하지 못했습니다. 같은 것이 아닙니다.", 2),
    ("zh_Hans", "请勿开车，也不要饮酒。", 2),
    ("sw", "Usinywe pombe usiku.", 1),                        # usiku is "night"
    ("yi", "נעמט ניט קיין דיאַזעפּאַם", 1),
])
def test_negations_are_counted(lang, text, count):
    assert negations(lang).count(text) == count
