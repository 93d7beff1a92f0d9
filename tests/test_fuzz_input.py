"""Random input where people type or paste it: command lines, pharmacy profiles, content files,
catalog files. Every one is accepted or refused with one LeafletError line; never an internal error.

These stop before rendering, so they are fast: CI runs FUZZ_INPUT_EXAMPLES per property
(default 25); `make fuzz` runs 2,500 each, 10,000 in all.
"""

import os
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from leaflet.builder import batch
from leaflet.catalogs.checks import check_catalog
from leaflet.catalogs.pofile import read_catalog
from leaflet.cli import main
from leaflet.errors import LeafletError
from leaflet.source.content import parse_leaflet
from leaflet.source.pharmacy import read_pharmacy

EXAMPLES = int(os.environ.get("FUZZ_INPUT_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                suppress_health_check=list(HealthCheck))
pytestmark = pytest.mark.fuzz

NASTY = st.sampled_from([
    "", " ", "-", "--", "\x00", "\x07", "\u202e", "\u200b", "\ufeff", "../../etc/passwd", "/dev/zero", "/etc/passwd",
    "es", "ES", "es_ES.UTF-8", "zh-TW", "ar", "en", "zz", "999", "0", "-1", "1e9", "2026-02-30", "9999-12-31",
    "2026-11-20", "a4", "letter", "bedtime", "'; touch x", "$(touch x)", "`id`", "%s", "{count}", "😀" * 50,
    "x" * 5000, "pharmacy.example.toml", "content/diazepam.md",
])
VALUE = st.one_of(NASTY, st.text(max_size=40))
OPTIONS = ["--lang", "--leaflet", "--paper", "--pharmacy", "--patient", "--directions", "--count",
           "--free-directions", "--date", "--large-print", "--bilingual", "--draft", "-j", "--quiet", "--by", "--key",
           "--format", "--since-review", "--all-pages", "--help"]
#: Commands that stop before rendering (build does, with the renderer replaced).
COMMANDS = ["build", "check", "init", "review", "langs"]


def refused_or_done(action):
    """The result, or the LeafletError; anything else fails the test with its traceback."""
    try:
        result = action()
    except LeafletError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        event(f"refused: {type(exc).__name__}")
        return exc
    event("accepted")
    return result


@pytest.fixture
def no_rendering(monkeypatch):
    """Everything up to the render: plans, profiles and options are read; nothing is printed."""
    def plan_only(project, jobs, options, **kwargs):
        for job in jobs:
            refused_or_done(lambda job=job: batch.plan_build(job.leaflet, job.lang, project, options))
        return []

    monkeypatch.setattr(batch, "build_all", plan_only)


@FUZZ
@given(command=st.sampled_from(COMMANDS), words=st.lists(st.one_of(st.sampled_from(OPTIONS), VALUE), max_size=8))
def test_random_command_lines_end_in_one_line(capsys, project, no_rendering, command, words):
    code = main(["--project", str(project.root), command, *words])
    out, err = capsys.readouterr()
    assert "Internal error" not in err and "Traceback" not in err, err
    assert code in (0, 1, 2)
    if code:
        assert err.strip(), "a failure says why"
    event(f"exit {code}")


PROFILE_KEYS = st.sampled_from(["name", "address", "phone", "logo", "paper", "colour", "name.x", "[x]"])
TOML_VALUE = st.one_of(
    VALUE.map(lambda v: '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers(-10**20, 10**20).map(str), st.just("[1, 2]"), st.just("{a = 1}"), st.just("true"),
    st.just('"""\nmulti\nline"""'), st.text(max_size=20),
)


@FUZZ
@given(lines=st.lists(st.tuples(PROFILE_KEYS, TOML_VALUE), max_size=6), raw=st.binary(max_size=40))
def test_random_pharmacy_profiles_are_read_or_refused(tmp_path_factory, lines, raw):
    folder = tmp_path_factory.mktemp("profile")
    path = folder / "profile.toml"
    path.write_bytes("\n".join(f"{key} = {value}" for key, value in lines).encode("utf-8", "surrogatepass") + raw)
    refused_or_done(lambda: read_pharmacy(path, folder))


BLOCK = st.one_of(
    st.tuples(st.sampled_from(["# ", "## ", "1. ", "- ", "", "#. ", "### ", "<b>"]), st.one_of(VALUE, st.text()),
              st.sampled_from([" {#a.b}", " {#x}", "", " {#Bad Id}", " {#a.b}{#c}", " {#title}"]))
    .map("".join),
    NASTY,
)


@FUZZ
@given(front=st.sampled_from(['+++\nid = "diazepam"\nrevised = 2026-11-01\n+++\n', "+++\n+++\n", "",
                              '+++\nid = "diazepam"\nrevised = "soon"\n+++\n', '+++\nid = 1\n']),
       blocks=st.lists(BLOCK, max_size=8))
def test_random_content_files_are_parsed_or_refused(front, blocks):
    refused_or_done(lambda: parse_leaflet(front + "\n\n".join(blocks), Path("content/diazepam.md")))


SHIPPED = REPO.po_file("es", "directions").read_text(encoding="utf-8")


@FUZZ
@given(position=st.integers(0, len(SHIPPED)), insert=st.one_of(NASTY, st.text(max_size=30),
                                                               st.sampled_from(['"', "\\", "\n", "msgid", "#~ "])),
       cut=st.integers(0, 40))
def test_random_edits_to_a_catalog_are_checked_or_refused(tmp_path_factory, position, insert, cut):
    path = tmp_path_factory.mktemp("po") / "directions.po"
    path.write_text(SHIPPED[:position] + insert + SHIPPED[position + cut:], encoding="utf-8", errors="surrogatepass")
    catalog = refused_or_done(lambda: read_catalog(path))
    if not isinstance(catalog, LeafletError):
        check_catalog(catalog, "es")
