"""Glossaries: each language's words for the medicine names and the key terms of the leaflets.

Takes ``locales/<lang>/glossary.tbx``, a TBX file as Weblate and translate-toolkit read
and write it (TBX v2, ISO 30042:2008, ``<martif type="TBX">``: one ``termEntry`` per
term, a ``langSet`` for English and one for the language, a ``tig`` per term), and
gives a ``Glossary``. ``check_glossary`` compares an entry with it: where the English
uses a term ("withdrawal", "withdrawal reactions", "opioids"), the translation must use
the glossary's translation, or one of its listed variants; otherwise it uses another
word, a warning while the glossary entry is a draft, an error once it is approved.

Approved and draft are TBX-Basic's administrative status of the language's first term
(the one Weblate and translate-toolkit show): ``preferredTerm-admn-sts`` is approved,
``admittedTerm-admn-sts`` (or none) a draft. Further ``tig`` of the language, usually
``<termNote type="termType">variant</termNote>``, are other accepted wordings; a term
whose status is ``deprecatedTerm-admn-sts`` or ``supersededTerm-admn-sts`` is never
accepted (Weblate marks it forbidden).

How words are compared: case and Latin accents are ignored, as are Arabic vowel marks
and letter variants (``numberwords.normalise``) and ZWNJ/ZWJ. Each word of the term may
take any prefix and ending inside the translation's word (Arabic "والديازيبام", Korean
"디아제팜을", Romanian "diazepamul"), but in a term of several words a word of one or two
letters only an ending (Somali "ka" of "ka-joojinta"); a word of six letters or more may
change its last two ("физическая зависимость", "физическую зависимость"). Chinese and
Burmese, written without spaces, are compared as text, spaces left out.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from leaflet.catalogs.numberwords import normalise
from leaflet.characters import combining_marks
from leaflet.errors import GlossaryError, display_path
from leaflet.files import NotARegularFile, read_limited, write_atomic
from leaflet.languages import SOURCE_LANGUAGE, language
from leaflet.source.markup import strip_markup
from leaflet.verdicts import file_sha256

#: Our glossaries are a few KB; a term base for a whole product is a few MB.
MAX_GLOSSARY_BYTES = 4 * 1024 * 1024
APPROVED, DRAFT = "preferredTerm-admn-sts", "admittedTerm-admn-sts"
#: TBX-Basic's statuses of a term that must not be used (Weblate: forbidden; translate-toolkit: obsolete).
REFUSED = ("deprecatedTerm-admn-sts", "supersededTerm-admn-sts")
STATUSES = (APPROVED, DRAFT, *REFUSED)
VARIANT = "variant"
#: A word this long may change its last two letters (a case or number ending).
STEMMED = 6
#: A word this short, in a term of several words, must begin a word of the translation.
SHORT = 2
_XML_LANG = "xml:lang"
_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
_DOCTYPE = '<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">'


@dataclass(frozen=True)
class Term:
    """One glossary entry: the English (the term, then its other spellings) and the
    translation (the term, then its accepted variants)."""

    english: tuple[str, ...]
    translations: tuple[str, ...]
    approved: bool = False
    line: int = 0
    note: str = ""

    @property
    def name(self) -> str:
        return self.english[0]

    @property
    def translation(self) -> str:
        return self.translations[0]


@dataclass(frozen=True)
class Glossary:
    path: Path
    lang: str
    terms: tuple[Term, ...]


# -- reading and writing TBX -----------------------------------------------------------------

def read_glossary(path: Path, lang: str) -> Glossary:
    """The terms of ``lang`` in a TBX file; an entry without ``lang`` is not translated yet and
    checks nothing. A file that cannot be read is a ``GlossaryError`` at its line."""
    try:
        data = read_limited(path, MAX_GLOSSARY_BYTES)
    except (OSError, NotARegularFile) as exc:
        raise GlossaryError(f"cannot read the glossary: {exc}", path=path) from None
    root, lines = _parse(data, path)
    if root.tag != "martif":
        raise GlossaryError(f"the root element is <{root.tag}>, not <martif>: leaflet reads TBX v2 "
                            "(ISO 30042:2008) as Weblate and translate-toolkit write it", path=path, line=1)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for entry in root.iter("termEntry"):
        term = _term(entry, lang, path, lines.get(id(entry), 1))
        if term is None:
            continue
        for english in term.english:
            key = " ".join(english.casefold().split())
            if key in seen:
                raise GlossaryError(f"'{english}' is in the glossary twice (line {seen[key]})", path=path,
                                    line=term.line, hint="keep one entry per term, its variants as further <tig>")
            seen[key] = term.line
        terms.append(term)
    return Glossary(path, lang, tuple(terms))


def read_glossary_cached(path: Path, lang: str) -> Glossary:
    """Read once per version of the file's bytes, like ``pofile.read_catalog_cached``."""
    return _read_cached(path.resolve(), file_sha256(path), lang)


@functools.lru_cache(maxsize=64)
def _read_cached(path: Path, sha256: str, lang: str) -> Glossary:
    return read_glossary(path, lang)


def _parse(data: bytes, path: Path) -> tuple[ET.Element, dict[int, int]]:
    """The tree (namespaces dropped, ``xml:lang`` kept) and the line of each element. Entity
    declarations are refused: a glossary is untrusted, and it needs none."""
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = builder.start(_local(tag), {_local(k): v for k, v in attributes.items()})
        lines[id(element)] = parser.CurrentLineNumber

    def refuse_entities(name: str, *_: object) -> None:
        raise GlossaryError(f"the glossary declares the entity '{name}': a TBX file needs none",
                            path=path, line=parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(_local(tag))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise GlossaryError(f"not valid XML: {expat.ErrorString(exc.code)}", path=path, line=exc.lineno,
                            hint="export the glossary again, or fix it in a text editor") from None
    return builder.close(), lines


def _local(name: str) -> str:
    """``xml:lang`` as written; any other name without its namespace (TBX v2 usually has none)."""
    uri, _, local = name.rpartition(" ")
    return f"xml:{local}" if uri == _XML_NAMESPACE else local


def _term(entry: ET.Element, lang: str, path: Path, line: int) -> Term | None:
    english, own = _lang_set(entry, SOURCE_LANGUAGE), _lang_set(entry, lang)
    if own is None:
        return None
    if english is None:
        raise GlossaryError("a term without English (<langSet xml:lang=\"en\">)", path=path, line=line)
    sources = [text for text, _, _ in _tigs(english, path, line) if text]
    accepted = [(text, status) for text, status, _ in _tigs(own, path, line) if text and status not in REFUSED]
    if not sources or not accepted:
        missing = "translation (a deprecated term is none)" if sources else "English"
        raise GlossaryError(f"the term '{sources[0] if sources else '?'}' has no {missing} in a <term>",
                            path=path, line=line)
    note = " ".join(word for n in entry.iter("note") for word in "".join(n.itertext()).split())
    return Term(tuple(sources), tuple(text for text, _ in accepted), accepted[0][1] == APPROVED, line, note)


def _lang_set(entry: ET.Element, lang: str) -> ET.Element | None:
    """The entry's langSet for a catalog code (``zh_Hans`` is ``zh-Hans``; ``en`` takes ``en-GB``)."""
    wanted = lang.replace("_", "-").casefold()
    for lang_set in entry.iter("langSet"):
        code = lang_set.get(_XML_LANG, "").replace("_", "-").casefold()
        if code == wanted or (lang == SOURCE_LANGUAGE and code.split("-")[0] == wanted):
            return lang_set
    return None


def _tigs(lang_set: ET.Element, path: Path, line: int) -> list[tuple[str, str, str]]:
    """(term, administrative status, term type) of each tig (or ntig's termGrp)."""
    found = []
    for tig in [*lang_set.iter("tig"), *lang_set.iter("termGrp")]:
        term = tig.find("term")
        notes = {note.get("type", ""): "".join(note.itertext()).strip() for note in tig.iter("termNote")}
        status = notes.get("administrativeStatus", "")
        if status and status not in STATUSES:
            raise GlossaryError(f"administrativeStatus '{status}' is none of TBX-Basic's "
                                f"({', '.join(STATUSES)})", path=path, line=line,
                                hint=f"{APPROVED} for an approved term, {DRAFT} for a draft")
        text = " ".join("".join(term.itertext()).split()) if term is not None else ""
        found.append((text, status, notes.get("termType", "")))
    return found


def write_glossary(glossary: Glossary, path: Path) -> None:
    """The TBX file Weblate exports (its header and DOCTYPE), one ``termEntry`` per term."""
    root = ET.Element("martif", {"type": "TBX", _XML_LANG: SOURCE_LANGUAGE})
    description = ET.SubElement(ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc"), "sourceDesc")
    ET.SubElement(description, "p").text = "leaflet"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    code = glossary.lang.replace("_", "-")
    for term in glossary.terms:
        entry = ET.SubElement(body, "termEntry", {"id": re.sub(r"\W+", "-", term.name.casefold()).strip("-")})
        english = ET.SubElement(entry, "langSet", {_XML_LANG: SOURCE_LANGUAGE})
        for text in term.english:
            ET.SubElement(ET.SubElement(english, "tig"), "term").text = text
        own = ET.SubElement(entry, "langSet", {_XML_LANG: code})
        for index, text in enumerate(term.translations):
            tig = ET.SubElement(own, "tig")
            ET.SubElement(tig, "term").text = text
            if index:
                ET.SubElement(tig, "termNote", {"type": "termType"}).text = VARIANT
            ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = (
                APPROVED if term.approved and not index else DRAFT)
        if term.note:  # Weblate shows it as the translation's explanation, as translate-toolkit writes it
            ET.SubElement(entry, "note", {"from": "translator"}).text = term.note
    ET.indent(root, "  ")
    text = ET.tostring(root, encoding="unicode").replace(f' xmlns:xml="{_XML_NAMESPACE}"', "")
    write_atomic(path, f'<?xml version="1.0" encoding="utf-8"?>\n{_DOCTYPE}\n{text}\n'.encode())


# -- the check ----------------------------------------------------------------------------------

def check_glossary(glossary: Glossary, source: str, translation: str) -> Iterator[tuple[str, str, str]]:
    """Issue 25: "abstinencia" for "withdrawal" in one warning and "retirada" in the next is
    two words for one danger. Where the English uses a term, the translation uses its word."""
    spaced = language(glossary.lang).script.word_spaces
    words: tuple[str, ...] | None = None
    for term in glossary.terms:
        if not any(mentions(english, source) for english in term.english):
            continue
        words = words if words is not None else text_words(translation, glossary.lang)
        if not any(uses(form, words, glossary.lang, spaced) for form in term.translations):
            severity, state = ("error", "approved") if term.approved else ("warning", "draft")
            yield severity, "glossary", (f"uses another word for '{term.name}' (glossary: '{term.translation}', "
                                         f"{state}, {display_path(glossary.path)}:{term.line})")


@functools.lru_cache(maxsize=256)
def _english(term: str) -> re.Pattern[str]:
    """The term as whole words, any space or hyphen between them, the last with a plural -s or -es."""
    words = [re.escape(word) for word in term.casefold().split()]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?:e?s)?(?!\w)")


def mentions(term: str, english: str) -> bool:
    return _english(term).search(english.casefold()) is not None


@functools.lru_cache(maxsize=1)
def _word() -> re.Pattern[str]:
    """Letters, digits and marks (a Bengali vowel sign belongs to its word), apostrophes inside."""
    return re.compile(f"[^\\W_](?:[^\\W_]|[{re.escape(combining_marks())}'’])*")


def text_words(text: str, lang: str) -> tuple[str, ...]:
    """The words of a text as they are compared; ZWNJ and ZWJ join, never split. The whole text
    is normalised at once (in C, not word by word: a translation may be 1 MB)."""
    plain = unicodedata.normalize("NFC", strip_markup(text)).replace("\u200c", "").replace("\u200d", "")
    return tuple(_word().findall(normalise(plain, lang)))


def uses(form: str, words: tuple[str, ...], lang: str, spaced: bool = True) -> bool:
    """The term's words, in order, each inside one of consecutive words of the translation."""
    wanted = text_words(form, lang)
    if not wanted:
        return False
    if not spaced:
        return "".join(wanted) in "".join(words)
    stems = [word[:-2] if len(word) >= STEMMED else word for word in wanted]
    joined = " ".join(words)
    if not all(stem in joined for stem in stems):  # most texts lack the term: said in C, not word by word
        return False
    phrase = len(stems) > 1
    first, rest = stems[0], stems[1:]
    return any(_inside(first, word, phrase) and all(_inside(stem, words[i + j], phrase)
                                                    for j, stem in enumerate(rest, 1))
               for i, word in enumerate(words[:len(words) - len(rest)]))


def _inside(stem: str, word: str, phrase: bool) -> bool:
    """A stem anywhere in the word (Arabic "والاعتماد", French "l'apnée", Amharic "ከሱስ"); in a
    term of several words, a word of one or two letters only at its start, or Somali "ka" of
    "ka-joojinta" would be found in "dhakhtarkaaga"."""
    return word.startswith(stem) if phrase and len(stem) <= SHORT else stem in word

