"""What the patient reads: doses that survive every plural form and script, nothing invisible,
and reviews bound to the words reviewed (and, where the project asks, signed)."""

import datetime as dt
import html as html_lib
import re
import shutil
import subprocess
import unicodedata

import pytest
from conftest import BAD_CATALOGS, GOOD_CATALOGS, REPO, corpus_expectation, edit_file, pdf_text, run_cli, squeeze

from leaflet import build
from leaflet.catalogs.checks import check_catalog, check_invisible_characters
from leaflet.catalogs.plurals import plural_forms
from leaflet.catalogs.pofile import read_catalog, write_catalog
from leaflet.catalogs.reviews import changed_entries, record_review, review_status
from leaflet.catalogs.translations import load_translations
from leaflet.errors import CatalogProblems
from leaflet.languages import language
from leaflet.render.context import directions_html
from leaflet.source.directions import read_dose_form, resolve_schedule

COUNTS = (1, 2, 3, 5, 11, 12, 21, 100, 999)
TABLET = read_dose_form(REPO.directions_file, "tablet")
BEDTIME_MANY = 'msgstr[1] "{count} comprimidos al acostarse"'

#: `leaflet review` of the Spanish diazepam leaflet: a review names its leaflet.
REVIEW_ES = ("review", "es", "--leaflet", "diazepam")


def visible_text(markup: str) -> str:
    """The text a reader sees: no tags, and no format characters (the Korean word joiners)."""
    text = html_lib.unescape(re.sub(r"<[^>]*>", "", markup))
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def digits_of(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) == "Nd")


@pytest.mark.parametrize("lang", REPO.languages())
def test_every_direction_prints_the_count_once_in_the_locales_digits(lang):
    """The sentence the page prints, for counts across every plural form: the number and no other."""
    info = language(lang)
    translations = load_translations(REPO, lang, ["directions"])
    for code in TABLET.directions:
        for count in COUNTS:
            text = visible_text(directions_html(translations, resolve_schedule(TABLET, ((code, count),))))
            shown = digits_of(text)
            assert shown in (info.native_digits(str(count)), ""), (lang, code, count, text)
            if shown:  # written in digits: contiguous, in logical order, in one system
                assert info.native_digits(str(count)) in text, (lang, code, count, text)
            else:  # only a form CLDR uses for exactly this one count may say it in words
                assert _form_for_one_number(lang, count), (lang, code, count, text)


@pytest.mark.parametrize("lang", REPO.languages())
def test_every_time_of_day_prints_its_own_count_in_the_days_order(lang):
    """Four doses in one sentence, each in a different plural form: every count once, in the
    order of the day (logical order, also in right-to-left languages), and no other number."""
    info = language(lang)
    translations = load_translations(REPO, lang, ["directions"])
    for counts in ((1, 2, 5, 21), (11, 100, 3, 1), (12, 999, 22, 2)):
        schedule = tuple(zip(("morning", "noon", "evening", "bedtime"), counts, strict=True))
        text = visible_text(directions_html(translations, resolve_schedule(TABLET, schedule)))
        assert digits_of(text) == "".join(info.native_digits(str(c)) for c in counts), (lang, counts, text)


def _form_for_one_number(lang: str, count: int) -> bool:
    from leaflet.catalogs.plurals import header_partition, parse_plural_forms

    header = read_catalog(REPO.po_file(lang, "directions")).po.metadata["Plural-Forms"]
    form = parse_plural_forms(header)[1](count)
    return len(header_partition(header)[form]) == 1


@pytest.mark.parametrize("lang, count", [("es", 12), ("ru", 21), ("ar", 11), ("fa", 12), ("bn", 5), ("zh_Hans", 3)])
def test_the_printed_page_shows_the_count_in_the_locales_digits(built, lang, count):
    path = built(lang, directions="bedtime", count=count, patient="A", date=dt.date(2026, 11, 20))
    expected = language(lang).native_digits(str(count))
    assert expected in squeeze(pdf_text(path))


# -- each tamper from the issue, through check and build ------------------------------------------

TAMPERS = {
    "{count}{count}": ("{count}{count} comprimidos al acostarse", "placeholders"),
    "right-to-left override": ("\u202e{count}\u202c comprimidos al acostarse", "bidi-controls"),
    "letter O": ("{count}O comprimidos al acostarse", "digit-lookalikes"),
    "one half": ("{count}\u00bd comprimidos al acostarse", "digit-lookalikes"),
    "bidi isolates": ("\u2067{count}\u2069 comprimidos al acostarse", "bidi-controls"),
    "zero width space only": ("\u200b", "invisible"),
    # Letters and symbols that draw nothing (issue 25): they passed as text and printed an empty bullet.
    "Hangul filler only": ("\u3164", "invisible"),
    "blank Braille pattern only": ("\u2800", "invisible"),
    "halfwidth Hangul filler in a sentence": ("{count}\uffa0 comprimidos al acostarse", "invisible-characters"),
}


@pytest.mark.parametrize("tamper", TAMPERS, ids=str)
def test_a_tampered_dose_is_refused_by_check_and_build(capsys, project, tamper):
    translation, check = TAMPERS[tamper]
    path = project.po_file("es", "directions")
    edit_file(path, (BEDTIME_MANY, f'msgstr[1] "{translation}"'))
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("msgstr[0]") and "acostarse" in text)
    code, out, _ = run_cli(capsys, "--project", project.root, "check", "es")
    assert code == 1 and f"directions.po:{line}: error: {check}: " in out
    code, _, err = run_cli(capsys, "--project", project.root, "build", "--lang", "es", "--directions", "bedtime",
                           "--count", "12")
    assert code == 1 and f"directions.po:{line}:" in err and check in err
    assert not list(project.output_dir.glob("es/*.pdf"))


#: The corpus cases made of shipped entries (issue 25's tampers, and the Arabic-Indic digits it accepts).
SPLICED = [path for path in BAD_CATALOGS + GOOD_CATALOGS if "domain" in corpus_expectation(path)[1]]


@pytest.mark.parametrize("case", SPLICED, ids=lambda p: p.name)
def test_each_corpus_case_goes_through_check_and_build(capsys, project, case):
    """The case's entries replace the shipped ones: ``leaflet check`` and ``leaflet build`` refuse
    it at the entry's line, or accept it and print it."""
    expected, fields = corpus_expectation(case)
    lang, domain = fields["language"], fields["domain"]
    target = project.po_file(lang, domain)
    catalog = read_catalog(target)
    for entry in read_catalog(case).entries():
        shipped = catalog.po.find(entry.msgctxt, by="msgctxt")
        shipped.msgstr, shipped.msgstr_plural = entry.msgstr, dict(entry.msgstr_plural)
    write_catalog(catalog.po, target)
    spliced = read_catalog(target)
    # The entry refused is one of the case's (a copy is refused at the later of its two entries).
    lines = [spliced.line_of(spliced.po.find(entry.msgctxt, by="msgctxt")) for entry in read_catalog(case).entries()]
    leaflet = domain if domain in project.leaflets() else "diazepam"
    check_code, out, _ = run_cli(capsys, "--project", project.root, "check", lang)
    code, _, err = run_cli(capsys, "--project", project.root, "build", "--lang", lang, "--leaflet", leaflet,
                           "--directions", "bedtime", "--count", "2")
    if expected == "accepted":
        assert (check_code, code) == (0, 0), out + err
        [printed] = project.output_dir.glob(f"{lang}/**/{leaflet}*.pdf")  # personalised: it has directions
        assert "١٠" in squeeze(pdf_text(printed))
        return
    check = expected.split(": ")[2]
    line = next((line for line in lines if f"{domain}.po:{line}: error: {check}: " in out), None)
    assert check_code == 1 and line is not None, out
    assert code == 1 and f"{domain}.po:{line}:" in err and check in err
    assert not list(project.output_dir.glob(f"{lang}/*.pdf"))


def set_translation(path, context, text):
    catalog = read_catalog(path)
    catalog.po.find(context, by="msgctxt").msgstr = text
    write_catalog(catalog.po, path)


def test_a_warning_given_another_entrys_words_is_refused_by_check_and_build(capsys, project):
    """Issue 25: the dependence warning replaced by the insomnia paragraph, and the morning
    direction given the bedtime text, printed the same words twice and lost a warning."""
    diazepam = project.po_file("es", "diazepam")
    insomnia = read_catalog(diazepam).po.find("uses.insomnia", by="msgctxt").msgstr
    set_translation(diazepam, "precautions.dependence", insomnia)
    edit_file(project.po_file("es", "directions"),
              ('msgstr[0] "{count} comprimido por la mañana"', 'msgstr[0] "{count} comprimido al acostarse"'),
              ('msgstr[1] "{count} comprimidos por la mañana"', 'msgstr[1] "{count} comprimidos al acostarse"'))
    code, out, _ = run_cli(capsys, "--project", project.root, "check", "es")
    assert code == 1
    assert "error: copied: 'precautions.dependence' has the same translation as 'uses.insomnia'" in out
    assert "error: copied: 'tablet.bedtime' has the same translation as 'tablet.morning'" in out
    with pytest.raises(CatalogProblems):
        build("diazepam", "es", project=project)


def test_a_blanked_safety_bullet_stops_the_build(project):
    set_translation(project.po_file("es", "frame"), "box.prescribed", "\u200b")
    with pytest.raises(CatalogProblems) as exc:
        build("diazepam", "es", project=project)
    assert "'box.prescribed' has no visible text" in str(exc.value.problems[0])


def test_a_dropped_sentence_in_a_safety_warning_is_an_error(project):
    path = project.po_file("es", "diazepam")
    entry = next(e for e in read_catalog(path).entries() if e.msgctxt == "precautions.dependence")
    assert "Safety warning:" in entry.comment
    set_translation(path, "precautions.dependence", entry.msgstr.split(". ")[0] + ".")
    problems = check_catalog(read_catalog(path), "es")
    assert [(p.severity, p.check) for p in problems if p.check == "sentences"] == [("error", "sentences")]


def test_the_arabic_dual_may_say_two_in_words(tmp_path):
    header = plural_forms("ar")
    forms = ["{count} قرص", "قرص واحد", "قرصان", "{count} أقراص", "{count} قرصًا", "{count} قرص"]
    body = "".join(f'msgstr[{i}] "{text}"\n' for i, text in enumerate(forms))
    po = tmp_path / "ar.po"
    po.write_text(f'msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  f'"Plural-Forms: {header}\\n"\n\n#, python-brace-format\nmsgctxt "a"\n'
                  f'msgid "{{count}} tablet"\nmsgid_plural "{{count}} tablets"\n{body}', encoding="utf-8")
    assert [p for p in check_catalog(read_catalog(po), "ar") if p.severity == "error"] == []
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)]).returncode == 0
    po.write_text(po.read_text(encoding="utf-8").replace('"{count} أقراص"', '"أقراص"'), encoding="utf-8")
    assert "placeholders" in [p.check for p in check_catalog(read_catalog(po), "ar")]  # 3-10: not one number


@pytest.mark.parametrize("text, ok", [
    ("می\u200cخواهم", True),          # Persian ZWNJ inside a word
    ("क्\u200dष", True),               # Devanagari ZWJ inside a word
    ("\u200cشروع", False),             # at the start of a word it only hides
    ("دو \u200d قرص", False),          # between words
    ("Tome\u2060 un comprimido", False),  # word joiner
    ("\ufeffTome", False),             # byte order mark
])
def test_joiners_only_inside_words(text, ok):
    assert (list(check_invisible_characters("", text, "fa")) == []) is ok


def test_the_draft_banner_and_the_review_notice_keep_their_english(project):
    set_translation(project.po_file("es", "frame"), "draft.banner", "BORRADOR")  # a translation may shorten it...
    set_translation(project.po_file("es", "frame"), "footer.unreviewed", "revisada")  # ...or lie
    text = footer(build("diazepam", "es", project=project, draft=True))
    assert "BORRADOR · DRAFT - NOT FOR PATIENTS" in text
    assert "revisada · Translation not yet reviewed by a professional translator" in text


# -- reviews bound to the words ----------------------------------------------------------------

def footer(path):
    return " ".join(pdf_text(path).split())


def test_a_changed_translation_voids_the_review_everywhere_and_restoring_it_restores_it(capsys, project):
    record_review(project, "es", "diazepam", "Dr Test", "2026-11-20")
    assert "revisada por Dr Test" in footer(build("diazepam", "es", project=project))
    path = project.po_file("es", "diazepam")
    original = path.read_text(encoding="utf-8")
    edit_file(path, ('msgstr "Precauciones"', 'msgstr "Precauciones importantes"'))
    status = review_status(project, "es", "diazepam")
    assert status.changed and not status.reviewed
    text = footer(build("diazepam", "es", project=project))
    assert "revisada por Dr Test" not in text and "Changed since its review by Dr Test on 2026-11-20" in text
    code, out, _ = run_cli(capsys, "--project", project.root, "stats")
    assert "changed since review by Dr Test on 2026-11-20" in out
    code, out, _ = run_cli(capsys, "--project", project.root, "proof", "es", "--since-review")
    changes = pdf_text(project.output_file("es", "diazepam", "review-changes"))
    assert "Precauciones importantes" in changes and "as reviewed: Precauciones" in changes
    assert "1 entries changed since the review" in changes
    path.write_text(original, encoding="utf-8")
    assert review_status(project, "es", "diazepam").reviewed
    assert "revisada por Dr Test" in footer(build("diazepam", "es", project=project))


def test_a_review_is_per_leaflet_and_the_shared_frame_binds_both(project):
    """Changing zolpidem's Spanish voids only zolpidem's Spanish review; changing the shared
    frame voids both, and the changes say which catalog changed."""
    for name in ("diazepam", "zolpidem"):
        record_review(project, "es", name, "Dr Test", "2026-11-20")
    edit_file(project.po_file("es", "zolpidem"), ('msgctxt "safe.heading"', '#, fuzzy\nmsgctxt "safe.heading"'))
    assert review_status(project, "es", "diazepam").reviewed
    assert review_status(project, "es", "zolpidem").changed
    assert "revisada por Dr Test" in footer(build("diazepam", "es", project=project))
    edit_file(project.po_file("es", "frame"), ('msgctxt "contents.heading"', '#, fuzzy\nmsgctxt "contents.heading"'))
    assert review_status(project, "es", "diazepam").changed and review_status(project, "es", "zolpidem").changed
    [(before, after)] = [change for change in changed_entries(project, "es", "diazepam")]
    assert before["domain"] == after["domain"] == "frame" and "fuzzy" in after["flags"]


def test_a_reviewer_header_typed_into_a_catalog_claims_nothing(project):
    edit_file(project.po_file("es", "frame"), ('"Language: es\\n"', '"Language: es\\n"\n"X-Reviewed-By: Dr. Fake\\n"'))
    text = footer(build("diazepam", "es", project=project))
    assert "Dr. Fake" not in text and "aún no revisada" in text


@pytest.fixture
def reviewer_keys(tmp_path, project):
    if shutil.which("ssh-keygen") is None:
        pytest.fail("ssh-keygen is missing: run 'make setup' (openssh-client)")
    keys = {}
    for name in ("reviewer", "intruder"):
        key = tmp_path / name
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
        keys[name] = key
    (project.root / "reviews").mkdir(exist_ok=True)
    public = (keys["reviewer"].with_suffix(".pub")).read_text().split()
    (project.root / "reviews" / "allowed_signers").write_text(f"ana@example.org {public[0]} {public[1]}\n")
    return keys


def test_a_signed_review_by_a_listed_reviewer_counts(capsys, project, reviewer_keys):
    code, out, err = run_cli(capsys, "--project", project.root, *REVIEW_ES, "--by", "Ana García",
                             "--key", reviewer_keys["reviewer"], "--date", "2026-11-20")
    assert code == 0 and "(signed)" in out, err
    assert review_status(project, "es", "diazepam").reviewed
    assert "revisada por Ana García" in footer(build("diazepam", "es", project=project))


def test_unsigned_or_foreign_signatures_and_edited_records_count_for_nothing(capsys, project, reviewer_keys):
    code, _, err = run_cli(capsys, "--project", project.root, *REVIEW_ES, "--by", "Ana García")
    assert code == 2 and "accepts only signed reviews" in err
    run_cli(capsys, "--project", project.root, *REVIEW_ES, "--by", "Intruder", "--key", reviewer_keys["intruder"])
    status = review_status(project, "es", "diazepam")
    assert not status.reviewed and "nobody in reviews/allowed_signers" in status.refused
    run_cli(capsys, "--project", project.root, *REVIEW_ES, "--by", "Ana García", "--key", reviewer_keys["reviewer"])
    assert review_status(project, "es", "diazepam").reviewed
    record = project.root / "reviews" / "diazepam" / "es.json"
    record.write_text(record.read_text(encoding="utf-8").replace("Ana García", "Dr. Fake"), encoding="utf-8")
    status = review_status(project, "es", "diazepam")
    assert not status.reviewed and "does not match" in status.refused
    assert "Dr. Fake" not in footer(build("diazepam", "es", project=project))


@pytest.mark.parametrize("name", ["Dr\x07", "Dr\u202eTest", "", " "])
def test_a_reviewer_name_with_control_characters_is_refused_and_catalogs_stay_buildable(capsys, project, name):
    code, _, err = run_cli(capsys, "--project", project.root, *REVIEW_ES, "--by", name)
    assert code == 2 and err.startswith("Error: --by")
    assert not (project.root / "reviews" / "diazepam" / "es.json").exists()
    build("diazepam", "es", project=project)
