import pytest

from leaflet.errors import UnknownLanguage, UsageError
from leaflet.languages import LANGUAGES, language, negotiate

AVAILABLE = sorted(LANGUAGES)


@pytest.mark.parametrize("requested, expected", [
    ("es", "es"), ("es_ES.UTF-8", "es"), ("es-MX", "es"), ("es_MX@euro", "es"),
    ("zh_TW", "zh_Hant"), ("zh-TW", "zh_Hant"), ("zh_Hant_TW", "zh_Hant"), ("zh_HK", "zh_Hant"),
    ("zh_CN", "zh_Hans"), ("zh", "zh_Hans"), ("zh-Hans-SG", "zh_Hans"),
    ("tl", "fil"), ("fil_PH", "fil"), ("ar_EG", "ar"), ("pt_BR.UTF-8", None), ("en_US.UTF-8", "en"),
])
def test_negotiate(requested, expected):
    if expected is None:
        with pytest.raises(UnknownLanguage) as exc:
            negotiate(requested, AVAILABLE)
        assert "available: " in str(exc.value) and "es" in exc.value.hint
    else:
        assert negotiate(requested, AVAILABLE) == expected


@pytest.mark.parametrize("requested", ["../../etc", "es/../x", "", "e", "es;rm", "/tmp", "es\x00"])
def test_path_like_names_are_usage_errors(requested):
    with pytest.raises(UsageError) as exc:
        negotiate(requested, AVAILABLE)
    assert exc.value.exit_code == 2


@pytest.mark.parametrize("code", AVAILABLE)
def test_every_language_has_cldr_names_and_direction(code):
    info = language(code)
    assert info.own_name and info.english_name
    rtl = {"ar", "fa", "ps", "ur", "yi"}
    assert info.direction == ("rtl" if code in rtl else "ltr")


def test_chinese_variants_and_korean_use_their_own_cjk_fonts():
    assert language("zh_Hans").fonts[0] == "Noto Sans CJK SC"
    assert language("zh_Hant").fonts[0] == "Noto Sans CJK TC"
    assert language("ko").fonts[0] == "Noto Sans CJK KR"
