"""The languages leaflet prints, and how a requested language name finds one.

Takes a language as people type it (``es_ES.UTF-8``, ``zh-TW``, ``tl``, and at the
counter ``árabe``, ``castellano``, ``中文``, ``chinese traditional``) and gives the code
of a shipped catalog. Everything CLDR knows (own name, direction, plural rules,
digits, every language's name in every shipped language) comes from Babel; what
only we know (script, fonts, the Debian package that has them) is in ``LANGUAGES``,
and the names people type that CLDR does not give are in ``language_names.toml``.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyphen
from babel import Locale, UnknownLocaleError

from leaflet.errors import UnknownLanguage, UsageError

SOURCE_LANGUAGE = "en"

NOTO_CORE = "fonts-noto-core"
NOTO_CJK = "fonts-noto-cjk"


@dataclass(frozen=True)
class Script:
    """What we know of a writing system and CLDR does not: the fonts that draw it (in
    fallback order, Latin last for numbers and names), the Debian package that has them,
    how its lines break, and why, if so, its PDFs cannot claim PDF/UA."""

    name: str
    fonts: tuple[str, ...]
    font_package: str = NOTO_CORE
    #: Korean breaks lines at spaces, never inside a word (unlike Chinese).
    keep_words: bool = False
    #: Words stand between spaces (Chinese and Burmese write a phrase without them).
    word_spaces: bool = True
    #: Latin and Cyrillic text hyphenates where Pyphen has a dictionary; other scripts never.
    hyphenates: bool = False
    #: Empty where the glyphs read back as the words in order (``leaflet preflight`` measures it);
    #: else why not, said on the review proof and in the README.
    no_pdf_ua: str = ""
    #: The same, for the bilingual edition only (its two columns side by side).
    no_pdf_ua_bilingual: str = ""
    #: The base letters of its alphabet (for Han and Hangul, common characters), drawn by its
    #: first font: the average height of their glyphs, against Latin a-z in Noto Sans, is how
    #: much smaller the script reads at one font size (``fonts.size_ratio``).
    letters: str = ""


@dataclass(frozen=True)
class Digits:
    """A CLDR numbering system as printed: the code point of its zero and the CSS counter
    style (one WeasyPrint ships) for list and page numbers."""

    zero: int
    counter_style: str


#: The numbering systems our languages use by default (Babel formats numbers with Latin digits).
NUMBERING = {
    "latn": Digits(0x30, "decimal"), "arab": Digits(0x660, "arabic-indic"), "arabext": Digits(0x6F0, "persian"),
    "beng": Digits(0x9E6, "bengali"), "deva": Digits(0x966, "devanagari"), "mymr": Digits(0x1040, "myanmar"),
}

_LATIN_FONTS = ("Noto Sans",)
#: Characters common to simplified and traditional Chinese, among the most frequent in both.
_HAN = "的一是不了人我在有他中大上子和你地出也年生"
LATIN = Script("Latin", _LATIN_FONTS, hyphenates=True, letters="abcdefghijklmnopqrstuvwxyz")
CYRILLIC = Script("Cyrillic", _LATIN_FONTS, hyphenates=True, letters="абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
HAN_SIMPLIFIED = Script("Han (simplified)", ("Noto Sans CJK SC", "Noto Sans"), NOTO_CJK, word_spaces=False,
                        letters=_HAN)
HAN_TRADITIONAL = Script("Han (traditional)", ("Noto Sans CJK TC", "Noto Sans"), NOTO_CJK, word_spaces=False,
                         letters=_HAN)
HANGUL = Script("Hangul", ("Noto Sans CJK KR", "Noto Sans"), NOTO_CJK, keep_words=True,
                letters="이다는의에가하을고지서사기한대로리자수도")
ETHIOPIC = Script("Ethiopic", ("Noto Sans Ethiopic", "Noto Sans"),
                  letters="ሀለሐመሠረሰሸቀበቨተቸኀነኘአከኸወዐዘዠየደጀገጠጨጰጸፀፈፐ")
# Naskh, not Nastaliq, for Urdu too: a Nastaliq word is drawn from contextual glyphs that do
# not map back to its letters, so the PDF's text (search, copying, screen readers) was letter salad.
ARABIC = Script("Arabic", ("Noto Naskh Arabic", "Noto Sans"), no_pdf_ua=(
    "Arabic marks are drawn raised and apart from their letters, and readers put them, "
    "and the punctuation of right-to-left lines, out of order"), letters="ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
HEBREW = Script("Hebrew", ("Noto Sans Hebrew", "Noto Sans"), no_pdf_ua=(
    "Hebrew vowel points are drawn raised and apart from their letters, and readers put them, "
    "and the punctuation of right-to-left lines, out of order"), letters="אבגדהוזחטיכלמנסעפצקרשת")
#: pdftotext reads a page by position: where one column's lines are taller than the other's,
#: it reads lines of both columns as one line. Single-column editions read back in order.
_COLUMNS_INTERLEAVED = "pdftotext reads the two columns of the bilingual edition interleaved"
BENGALI = Script("Bengali", ("Noto Sans Bengali", "Noto Sans"),
                 no_pdf_ua_bilingual=_COLUMNS_INTERLEAVED,
                 letters="অআইঈউঊঋএঐওঔকখগঘঙচছজঝঞটঠডঢণতথদধনপফবভমযরলশষসহ")
DEVANAGARI = Script("Devanagari", ("Noto Sans Devanagari", "Noto Sans"),
                    no_pdf_ua_bilingual=_COLUMNS_INTERLEAVED,
                    letters="अआइईउऊऋएऐओऔकखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह")
MYANMAR = Script("Myanmar", ("Noto Sans Myanmar", "Noto Sans"), word_spaces=False,
                 no_pdf_ua_bilingual=_COLUMNS_INTERLEAVED, letters="ကခဂဃငစဆဇဈညဋဌဍဎဏတထဒဓနပဖဗဘမယရလဝသဟဠအ")


@dataclass(frozen=True)
class Language:
    """A language leaflet prints: its catalog code and its script. Everything CLDR knows
    (own name, direction, plural rules, digits) comes from Babel."""

    code: str
    script: Script

    @property
    def fonts(self) -> tuple[str, ...]:
        return self.script.fonts

    @property
    def font_package(self) -> str:
        return self.script.font_package

    @property
    def keep_words(self) -> bool:
        return self.script.keep_words

    @property
    def pdf_ua(self) -> bool:
        """The standard and large-print editions claim PDF/UA-1 (``claims_pdf_ua``)."""
        return self.claims_pdf_ua()

    def claims_pdf_ua(self, bilingual: bool = False) -> bool:
        """The PDF claims PDF/UA-1 only where its glyphs read back as the words in order
        (the preflight of every build checks it); every PDF is tagged, with each run's
        words as ``/ActualText``."""
        return not (self.script.no_pdf_ua or (bilingual and self.script.no_pdf_ua_bilingual))

    @property
    def hyphenate(self) -> bool:
        return self.script.hyphenates and pyphen.language_fallback(self.code) is not None

    @property
    def pdf_ua_note(self) -> str:
        """One line for reviewers: does this language's PDF claim PDF/UA-1, and if not, why."""
        if self.claims_pdf_ua(bilingual=True):
            return "Leaflets in this language are tagged PDF/UA-1 files: their text reads back in order."
        if self.pdf_ua:
            return ("Leaflets in this language are tagged PDF/UA-1 files: their text reads back in order; "
                    f"the bilingual edition does not claim it: {self.script.no_pdf_ua_bilingual}.")
        return (f"Leaflets in this language do not claim PDF/UA-1: {self.script.no_pdf_ua}. They are tagged, and "
                "screen readers get every run's words from the tags.")

    @functools.cached_property
    def locale(self) -> Locale:
        """Parsed once per language: the renderer asks for its direction and digits per string."""
        return Locale.parse(self.code)

    @property
    def direction(self) -> str:
        return self.locale.text_direction

    @property
    def own_name(self) -> str:
        return self.locale.get_display_name(self.locale) or self.code

    @property
    def english_name(self) -> str:
        return self.locale.get_display_name("en") or self.code

    @property
    def numbering_system(self) -> str:
        return self.locale.default_numbering_system

    @property
    def digits(self) -> Digits:
        return NUMBERING.get(self.numbering_system, NUMBERING["latn"])

    @property
    def own_digit_zeros(self) -> frozenset[int]:
        """The zeros of every digit set a reader of the language reads as numbers: CLDR's default
        and native numbering systems (Arabic prints Latin digits and reads Arabic-Indic ones too)."""
        native = self.locale.other_numbering_systems.get("native", self.numbering_system)
        return frozenset(NUMBERING[s].zero for s in (self.numbering_system, native) if s in NUMBERING)

    def native_digits(self, text: str) -> str:
        """ASCII digits written in the locale's default numbering system (CLDR, via Babel)."""
        zero = self.digits.zero
        return text.translate({ord("0") + d: zero + d for d in range(10)})


#: Every shipped language: adding one whose script is above is one line here (and its catalogs).
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", LATIN), Language("es", LATIN), Language("zh_Hans", HAN_SIMPLIFIED),
        Language("zh_Hant", HAN_TRADITIONAL), Language("ru", CYRILLIC), Language("ko", HANGUL),
        Language("it", LATIN), Language("ht", LATIN), Language("bn", BENGALI), Language("fr", LATIN),
        Language("pl", LATIN), Language("vi", LATIN), Language("ar", ARABIC), Language("so", LATIN),
        Language("fa", ARABIC), Language("ro", LATIN), Language("sw", LATIN), Language("my", MYANMAR),
        Language("ne", DEVANAGARI), Language("am", ETHIOPIC), Language("ps", ARABIC), Language("ur", ARABIC),
        Language("fil", LATIN), Language("yi", HEBREW),
    )
}

#: English names people use that CLDR does not give (it says Persian, Bangla, Chinese (Simplified)).
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "fa": ("Farsi",), "bn": ("Bengali",), "fil": ("Tagalog",), "my": ("Myanmar",),
    "zh_Hans": ("Chinese", "Simplified Chinese", "Mandarin"), "zh_Hant": ("Traditional Chinese", "Cantonese"),
    "ht": ("Creole", "Haitian"), "ps": ("Pushto",),
}

#: Names people type that CLDR resolves differently from our catalog codes.
_ALIASES = {"zh": "zh_Hans", "iw": "yi", "ji": "yi", "tl": "fil"}

_SAFE_NAME = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")


def language(code: str) -> Language:
    """The ``Language`` for a catalog code; languages without fonts fall back to Latin."""
    return LANGUAGES.get(code) or Language(code, LATIN)


def normalise(requested: str) -> str:
    """Strip what POSIX locales add (``.UTF-8``, ``@euro``) and reject anything path-like."""
    name = requested.strip().split(".", 1)[0].split("@", 1)[0]
    if not _SAFE_NAME.match(name):
        raise UsageError(
            f"'{requested}' is not a language name",
            hint="use a code such as es, zh_Hant or pt_BR; 'leaflet langs' lists them",
        )
    return name.replace("-", "_")


def canonical(requested: str) -> str:
    """A new catalog's code as CLDR spells it (``EN`` -> ``en``, ``pt-br`` -> ``pt_BR``), or UsageError."""
    parts = normalise(requested).split("_")
    spelled = [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() if len(p) in (2, 3) else p
                                    for p in parts[1:]]
    try:
        locale = Locale.parse("_".join(spelled))
    except (ValueError, UnknownLocaleError):
        raise UnknownLanguage(f"'{requested}' is not a language CLDR knows",
                              hint="use a code such as de, pt_BR or sr_Latn") from None
    return "_".join(filter(None, [locale.language, locale.script, locale.territory, locale.variant]))


def negotiate(requested: str, available: list[str]) -> str:
    """The available catalog code that serves a requested language.

    Matches on language and script after CLDR's likely-subtags, so
    ``zh_TW`` and ``zh-Hant-TW`` find ``zh_Hant``, ``es_MX`` finds ``es``.
    """
    name = normalise(requested)
    if name in available:
        return name
    if name.lower() in _ALIASES and _ALIASES[name.lower()] in available:
        return _ALIASES[name.lower()]
    try:
        wanted = Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        wanted = None
    if wanted is not None:
        for code in available:
            have = Locale.parse(code)
            same_script = not have.script or have.script == wanted.script
            if have.language == wanted.language and same_script:
                return code
    raise UnknownLanguage(
        f"unknown language '{requested}'",
        hint="available: " + ", ".join(sorted(available)),
    )


def names_of(code: str) -> tuple[str, ...]:
    """Every name a language is found by at the counter: code, own name, English names."""
    info = language(code)
    return (code, info.own_name, info.english_name, *OTHER_NAMES.get(code, ()))


#: Names people type for a language that CLDR gives in none of our languages ("arab", "castellano").
NAMES_FILE = Path(__file__).with_name("language_names.toml")


def find_language(typed: str, available: list[str]) -> str:
    """The catalog code for a language as typed at the counter: by any name in ``language_names``
    (its own, its English one, its name in any shipped language, an alias), case, accents,
    punctuation and word order ignored, or by a code (``fa``, ``es-MX``, ``zh-TW``). Anything
    else is ``UnknownLanguage`` naming the closest languages there are."""
    found = language_names(tuple(available)).get(name_key(typed))
    if found:
        return found
    try:
        return negotiate(typed, available)
    except (UnknownLanguage, UsageError):
        close = similar_languages(typed, available)
        guess = "; did you mean " + " or ".join(f"{language(c).english_name} ({c})" for c in close) + "?"
        raise UnknownLanguage(f"unknown language '{typed[:60]}'{guess if close else ''}",
                              hint="available: " + ", ".join(sorted(available))) from None


def similar_languages(typed: str, available: list[str], most: int = 3) -> list[str]:
    """The languages whose names are closest to a typo (``arabik``, ``spanich``), best first."""
    names = language_names(tuple(available))
    close = difflib.get_close_matches(name_key(typed), list(names), n=most * 4, cutoff=0.75)
    return list(dict.fromkeys(names[key] for key in close))[:most]


def name_key(name: str) -> str:
    """A name as it is compared: lower case, without accents, marks or punctuation, its words
    in order (``Chinese (Traditional)`` and ``chinese traditional`` are the same key). The
    counter's script folds what is typed the same way."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(" " if unicodedata.category(c)[0] in "PSZ" or c == "_" else c
                   for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(sorted(kept.lower().split()))


def language_names(available: tuple[str, ...]) -> dict[str, str]:
    """Every name of every available language, as ``name_key`` writes it -> its code.

    In order of trust: codes, own and English names and ``language_names.toml``; then CLDR's
    name of the language in each shipped language (``árabe``, ``chinois traditionnel``); then
    CLDR's name of its base language (``中文``, ``chino``), given to the catalog ``negotiate``
    picks for the base code (zh -> zh_Hans). A name two languages share at one level is
    nobody's at that level."""
    return {key: code for key, (code, _name) in _name_index(available).items()}


def names_found(code: str, available: tuple[str, ...]) -> list[str]:
    """The names that find one language, as written (the counter's script folds them itself)."""
    return [name for found, name in _name_index(available).values() if found == code]


@functools.lru_cache(maxsize=16)
def _name_index(available: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for level in (_own_names, _cldr_names):
        claims: dict[str, dict[str, str]] = {}
        for code in available:
            for name in level(code):
                claims.setdefault(name_key(name), {}).setdefault(code, name)
        found.update({key: next(iter(codes.items())) for key, codes in claims.items()
                      if key and len(codes) == 1 and key not in found})
    for code in available:
        try:
            chosen = negotiate(Locale.parse(code).language, list(available))
        except (UnknownLanguage, UsageError):
            continue
        if chosen == code:
            for name in _cldr_names(Locale.parse(code).language):
                found.setdefault(name_key(name), (code, name))
    return found


def _own_names(code: str) -> list[str]:
    return [code, *names_of(code), *typed_names().get(code, ())]


def _cldr_names(code: str) -> list[str]:
    """The language's name in every shipped language, as CLDR writes it, short and long."""
    names = []
    for other in LANGUAGES:
        locale = language(other).locale
        names += [locale.languages.get(code, ""), Locale.parse(code).get_display_name(locale) or ""]
    return [name for name in names if name]


@functools.lru_cache(maxsize=1)
def typed_names() -> dict[str, tuple[str, ...]]:
    with NAMES_FILE.open("rb") as file:
        return {code: tuple(names) for code, names in tomllib.load(file).items()}
