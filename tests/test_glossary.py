"""Glossaries (leaflet/catalogs/glossary.py): the TBX files, and the words a translation must use."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, edit_file, run_cli

from leaflet.catalogs.checks import check_catalog
from leaflet.catalogs.gate import check_paths, gate
from leaflet.catalogs.glossary import (
    APPROVED,
    DRAFT,
    STATUSES,
    Glossary,
    Term,
    check_glossary,
    mentions,
    read_glossary,
    text_words,
    uses,
    write_glossary,
)
from leaflet.catalogs.pofile import read_catalog
from leaflet.errors import CatalogProblems, GlossaryError
from leaflet.languages import language

LANGUAGES = REPO.translated_languages()
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The key terms of issue 25 and the medicine names every glossary has.
KEY_TERMS = {"benzodiazepine", "physical dependence", "withdrawal", "opioid", "complex sleep behaviour",
             "diazepam", "zolpidem", "Valium", "codeine", "oxycodone", "morphine"}


def test_every_shipped_language_has_a_glossary():
    assert LANGUAGES and all(REPO.glossary_file(lang).is_file() for lang in LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_glossary_is_tbx_as_weblate_writes_it(lang):
    """The essentials of TBX-Basic (TBX v2, ISO 30042:2008), read with the standard library
    alone: what Weblate and translate-toolkit need to import it."""
    root = ET.parse(REPO.glossary_file(lang)).getroot()
    assert (root.tag, root.get("type"), root.get(XML_LANG)) == ("martif", "TBX", "en")
    assert root.find("martifHeader/fileDesc/sourceDesc") is not None
    entries = root.findall("text/body/termEntry")
    assert entries and len({e.get("id") for e in entries}) == len(entries)
    for entry in entries:
        english, own = entry.findall("langSet")
        assert (english.get(XML_LANG), own.get(XML_LANG)) == ("en", lang.replace("_", "-"))
        for lang_set in (english, own):
            assert lang_set.findall("tig") and all((tig.findtext("term") or "").strip()
                                                   for tig in lang_set.findall("tig"))
        statuses = [n.text for n in own.iter("termNote") if n.get("type") == "administrativeStatus"]
        assert statuses and set(statuses) <= set(STATUSES)
    assert {t.name for t in read_glossary(REPO.glossary_file(lang), lang).terms} >= KEY_TERMS


@pytest.mark.parametrize("lang", ["es", "ar", "zh_Hant", "ur"])
def test_translate_toolkit_reads_a_glossary_as_we_do(lang):
    tbx = pytest.importorskip("translate.storage.tbx")
    path = REPO.glossary_file(lang)
    store = tbx.tbxfile.parsefile(str(path))
    ours = read_glossary(path, lang)
    assert [(u.source, u.target) for u in store.units] == [(t.name, t.translation) for t in ours.terms]
    assert not any(u.isobsolete() for u in store.units)


def test_the_shipped_catalogs_raise_no_glossary_problem():
    """Drafted from the catalogs: no warning either, in any language."""
    problems = [p for r in check_paths(REPO, [REPO.po_file(lang, d) for lang in LANGUAGES for d in REPO.domains()])
                for p in r.problems if p.check == "glossary"]
    assert problems == []


def test_a_glossary_round_trips(tmp_path):
    path = tmp_path / "glossary.tbx"
    glossary = Glossary(path, "ru", (
        Term(("withdrawal",), ("отмена",), approved=True, note="синдром отмены"),
        Term(("complex sleep behaviour", "complex sleep behavior"), ("сложное поведение во сне", "сложного поведения")),
    ))
    write_glossary(glossary, path)
    read = read_glossary(path, "ru")
    assert [(t.english, t.translations, t.approved, t.note) for t in read.terms] == [
        (t.english, t.translations, t.approved, t.note) for t in glossary.terms]
    assert [t.line for t in read.terms] == [13, 27]


# -- the words ---------------------------------------------------------------------------------

@pytest.mark.parametrize("english, term", [
    ("Withdrawal reactions include seizures", "withdrawal"), ("with opioids, alcohol", "opioid"),
    ("called benzodiazepines.", "benzodiazepine"), ("can cause complex sleep behaviours.", "complex sleep behaviour"),
    ("have had a complex sleep behaviour after", "complex sleep behaviour"), ("or sleep apnoea", "sleep apnoea"),
])
def test_the_english_is_found_as_words_with_a_plural(english, term):
    assert mentions(term, english)


@pytest.mark.parametrize("english, term", [("opioidergic", "opioid"), ("drawal", "withdrawal")])
def test_a_part_of_an_english_word_is_no_term(english, term):
    assert not mentions(term, english)


@pytest.mark.parametrize("lang, form, translation", [
    ("ru", "физическая зависимость", "может вызывать физическую зависимость"),  # the ending changes
    ("ru", "диазепам", "Приём диазепама вместе"),
    ("ar", "اعتماد", "والاعتماد الجسدي"),  # a prefix attached
    ("ko", "디아제팜", "디아제팜을 복용"),  # a particle attached
    ("fr", "apnée du sommeil", "ou de l'apnée du sommeil"),  # elision
    ("fa", "اکسی‌کدون", "کدئین، اکسی‌کدون و مورفین"),  # ZWNJ
    ("zh_Hans", "戒断 反应", "和戒断反应。"),  # no spaces
    ("so", "ka-joojinta daawada", "falcelinno ka-joojinta daawada ah"),
    ("es", "dependencia física", "La Dependencia Fisica no es"),  # case and accents
])
def test_a_term_is_found_in_its_inflections(lang, form, translation):
    assert uses(form, text_words(translation, lang), lang, language(lang).script.word_spaces)


@pytest.mark.parametrize("lang, form, translation", [
    ("es", "abstinencia", "reacciones de retirada"),
    ("so", "ka-joojinta daawada", "la hadlin dhakhtarkaaga. Joojinta kedis ah"),  # "ka" must begin a word
    ("es", "apnea del sueño", "apnea y problemas del sueño"),  # the words of a term stand together
    ("zh_Hans", "戒断", "停药反应"),
])
def test_another_word_is_not_the_term(lang, form, translation):
    assert not uses(form, text_words(translation, lang), lang, language(lang).script.word_spaces)


def test_a_draft_term_warns_and_an_approved_one_is_an_error():
    draft = Glossary(Path("glossary.tbx"), "es", (Term(("withdrawal",), ("abstinencia",), line=7),))
    approved = Glossary(draft.path, "es", (Term(("withdrawal",), ("abstinencia",), approved=True, line=7),))
    english, spanish = "Withdrawal reactions include seizures.", "Las reacciones de retirada incluyen convulsiones."
    message = "uses another word for 'withdrawal' (glossary: 'abstinencia', {}, glossary.tbx:7)"
    assert list(check_glossary(draft, english, spanish)) == [("warning", "glossary", message.format("draft"))]
    assert list(check_glossary(approved, english, spanish)) == [("error", "glossary", message.format("approved"))]
    assert list(check_glossary(approved, english, spanish.replace("retirada", "abstinencia"))) == []
    assert list(check_glossary(approved, "Stopping suddenly is dangerous.", spanish)) == []


def test_a_plural_entry_is_checked_form_by_form(tmp_path):
    path = tmp_path / "es.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                    'msgid "{count} opioid medicine"\nmsgid_plural "{count} opioid medicines"\n'
                    'msgstr[0] "{count} medicamento opioide"\nmsgstr[1] "{count} medicamentos narcóticos"\n',
                    encoding="utf-8")
    glossary = Glossary(tmp_path / "glossary.tbx", "es", (Term(("opioid",), ("opioide",), approved=True),))
    problems = [p for p in check_catalog(read_catalog(path), "es", glossary=glossary) if p.check == "glossary"]
    assert [(p.line, p.severity) for p in problems] == [(9, "error")]


# -- in the project: leaflet check and the build ----------------------------------------------------

def retirada(project) -> int:
    """The tamper: "abstinencia" (withdrawal) made "retirada" in the Spanish dependence warning."""
    path = project.po_file("es", "diazepam")
    edit_file(path, ("dependencia física y reacciones de abstinencia. La",
                     "dependencia física y reacciones de retirada. La"))
    catalog = read_catalog(path)
    return catalog.line_of(catalog.po.find("important.dependence", by="msgctxt"))


def approve(project, term: str) -> None:
    path = project.glossary_file("es")
    text = path.read_text(encoding="utf-8")
    start = text.index(f'<termEntry id="{term}">')
    end = text.index("</termEntry>", start)
    entry = text[start:end].replace(DRAFT, APPROVED, 1)
    path.write_text(text[:start] + entry + text[end:], encoding="utf-8")


def test_another_word_is_a_warning_then_an_error_once_approved(capsys, project):
    line = retirada(project)
    code, out, _ = run_cli(capsys, "--project", project.root, "check", "es")
    assert code == 0
    assert (f"locales/es/LC_MESSAGES/diazepam.po:{line}: warning: glossary: uses another word for 'withdrawal' "
            "(glossary: 'abstinencia', draft, ") in out and "locales/es/glossary.tbx:" in out
    gate(project, "es", ["diazepam", "frame"])  # a draft term does not stop the print; the pass is remembered
    approve(project, "withdrawal")
    code, out, _ = run_cli(capsys, "--project", project.root, "check", "es")
    assert code == 1 and f"diazepam.po:{line}: error: glossary: uses another word for 'withdrawal'" in out
    assert "warning: glossary: uses another word for 'withdrawal reactions'" in out  # still a draft
    with pytest.raises(CatalogProblems) as refused:  # the glossary's bytes are part of the remembered pass
        gate(project, "es", ["diazepam", "frame"])
    assert [(p.line, p.check) for p in refused.value.problems if p.severity == "error"] == [(line, "glossary")]


@pytest.mark.parametrize("text, line, message", [
    ("<martif type='TBX'><text><body><termEntry></body></text></martif>", 1, "not valid XML: mismatched tag"),
    ('<!DOCTYPE martif [<!ENTITY a "aaaa">]>\n<martif/>', 1, "the glossary declares the entity 'a'"),
    ("<tbx xmlns='urn:iso:std:iso:30042:ed-2'/>", 1, "the root element is <tbx>, not <martif>"),
    ("<martif><text><body>\n<termEntry><langSet xml:lang='en'><tig><term>opioid</term></tig></langSet>"
     "<langSet xml:lang='es'><tig><term>opioide</term>"
     "<termNote type='administrativeStatus'>approved</termNote></tig></langSet></termEntry>"
     "</body></text></martif>", 2, "administrativeStatus 'approved' is none of TBX-Basic's"),
    ("<martif><text><body>\n<termEntry><langSet xml:lang='es'><tig><term>opioide</term></tig></langSet></termEntry>"
     "</body></text></martif>", 2, "a term without English"),
])
def test_a_glossary_that_cannot_be_read_says_where(tmp_path, text, line, message):
    path = tmp_path / "glossary.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as error:
        read_glossary(path, "es")
    assert (error.value.line, error.value.message[:len(message)]) == (line, message)


def test_a_broken_glossary_stops_the_check_and_the_build_of_its_language(capsys, project):
    path = project.glossary_file("es")
    edit_file(path, ("</martif>", ""))
    code, out, _ = run_cli(capsys, "--project", project.root, "check", "es")
    [shown] = [line for line in out.splitlines() if "glossary.tbx" in line]  # once, not once per catalog
    assert code == 1 and shown.endswith(f"locales/es/glossary.tbx:{len(path.read_text().splitlines()) + 1}: "
                                        "error: glossary: not valid XML: no element found")
    with pytest.raises(CatalogProblems):
        gate(project, "es", ["diazepam", "frame"])
    assert run_cli(capsys, "--project", project.root, "check", "fr")[0] == 0
