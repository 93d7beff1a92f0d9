"""Random Unicode in translations and at the counter: a build succeeds with the text
on the page, or fails with a clear LeafletError; never a traceback, a hang or a silent box.

CI runs FUZZ_EXAMPLES examples per property (default 20); `make fuzz` runs 500.
"""

import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from leaflet.builder.pipeline import run_build
from leaflet.catalogs.pofile import read_catalog, write_catalog
from leaflet.catalogs.translations import load_translations
from leaflet.errors import LeafletError
from leaflet.render.context import leaflet_html
from leaflet.render.options import BuildOptions
from leaflet.source.content import read_leaflet

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
pytestmark = pytest.mark.fuzz

#: What breaks text layout: bidi marks, joiners, combining marks, emoji, controls, huge words.
TRICKY = st.sampled_from([
    "\u200f", "\u200e", "\u202e", "\u2066", "\u200d", "\u200c", "\u0301", "\u0651", "😀", "👩‍⚕️", "\x00", "\x07",
    "\x1b[31m", "\ufeff", "\ufffd", "&amp;", "<b>", "</p>", "*", "**", "{name}", "%s", "\\", "\"", "\n",
    "W" * 400, "ﷺ", "𝕏", "\u0600", "ـ", "\u00ad", "\u2028",
])
#: Printable text the Latin fonts can draw, so that many examples get as far as the PDF.
PRINTABLE = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs"), max_codepoint=0x52F), min_size=1,
                    max_size=60)
TEXT = st.one_of(
    PRINTABLE,
    st.lists(st.one_of(st.text(min_size=1, max_size=30), TRICKY, PRINTABLE), min_size=1, max_size=8).map("".join),
)


def outcome(action, record=True):
    """The result, or the LeafletError; anything else fails the test with its traceback."""
    try:
        result = action()
    except LeafletError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        if record:
            event(f"refused: {type(exc).__name__}")
        return exc
    if record:
        event("built")
    return result


@FUZZ
@given(text=TEXT)
def test_random_translation_builds_with_the_text_or_is_refused(project, text):
    po_path = project.po_file("es", "diazepam")
    original = po_path.with_suffix(".orig")
    if not original.exists():
        original.write_bytes(po_path.read_bytes())
    po_path.write_bytes(original.read_bytes())  # each example starts from the shipped catalog
    catalog = read_catalog(po_path)
    next(e for e in catalog.entries() if e.msgctxt == "precautions.heading").msgstr = text
    write_catalog(catalog.po, po_path)
    result = outcome(lambda: run_build("diazepam", "es", project=project))
    if not isinstance(result, LeafletError):
        content = read_leaflet(project.content_file("diazepam"))
        html = leaflet_html(project, content, load_translations(project, "es", ["frame", "diazepam"]),
                            BuildOptions(paper="a4"))
        assert str(escape(text)) in html
        assert result.path.stat().st_size > 1000


@FUZZ
@given(patient=TEXT, free=TEXT)
def test_random_personal_text_prints_as_text_or_is_refused(shared_project, patient, free):
    result = outcome(lambda: run_build("diazepam", "es", project=shared_project,
                                       options=BuildOptions(patient=patient, free_directions=free)))
    if not isinstance(result, LeafletError):
        content = read_leaflet(shared_project.content_file("diazepam"))
        html = leaflet_html(shared_project, content, load_translations(shared_project, "es", ["frame", "diazepam"]),
                            BuildOptions(paper="a4", patient=patient, free_directions=free))
        assert str(escape(patient)) in html and str(escape(free)) in html


@pytest.mark.parametrize("raw", [b"\xed\xa0\x80", b"\xc3", b"\xff\xfe", b"\xe2\x80"])
def test_broken_utf8_in_a_catalog_is_a_clear_error(project, raw):
    po = project.po_file("es", "diazepam")
    po.write_bytes(po.read_bytes().replace(b"Precauciones", b"Precauciones" + raw))
    result = outcome(lambda: run_build("diazepam", "es", project=project), record=False)
    assert isinstance(result, LeafletError) and "invalid UTF-8 byte" in str(result)
