import itertools
import re

import pytest
from markupsafe import escape

from leaflet.source.markup import is_balanced, markup_tokens, strip_markup, to_html


def test_bold_and_emphasis_become_tags():
    assert to_html("**Insomnia:** it *helps*") == "<strong>Insomnia:</strong> it <em>helps</em>"


@pytest.mark.parametrize("hostile", [
    '<img src="file:///etc/passwd">', "<script>alert(1)</script>", "<link rel=stylesheet href=x>",
    "<style>body{}</style>", "&lt;b&gt;", "&#60;img&#62;", 'javascript:alert(1)', "url(file:///etc/passwd)",
])
def test_untrusted_text_stays_text(hostile):
    assert str(to_html(hostile)) == str(escape(hostile))
    assert "<" not in str(to_html(hostile))


@pytest.mark.parametrize("text, balanced", [
    ("**a** b", True), ("*a* b", True), ("**a b", False), ("a* b", False), ("**a** *b*", True), ("plain", True),
])
def test_balance(text, balanced):
    assert is_balanced(text) is balanced


def test_tokens_and_strip():
    assert markup_tokens("**a:** b *c*") == ["**", "**", "*", "*"]
    assert strip_markup("**a:** b *c*") == "a: b c"


#: The patterns markup.py finds spans for without them: backtracking regexes, quadratic on a
#: line of openers with no closer, but the definition of what a span is.
REFERENCE_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
REFERENCE_EMPHASIS = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")


def every_text(alphabet: str, longest: int):
    for length in range(longest + 1):
        yield from ("".join(chars) for chars in itertools.product(alphabet, repeat=length))


def test_spans_are_those_of_the_reference_patterns():
    for text in every_text("*a \n", 7):
        stripped = REFERENCE_EMPHASIS.sub(r"\1", REFERENCE_STRONG.sub(r"\1", text))
        html = REFERENCE_EMPHASIS.sub(r"<em>\1</em>", REFERENCE_STRONG.sub(r"<strong>\1</strong>", str(escape(text))))
        assert (strip_markup(text), str(to_html(text))) == (stripped, html), repr(text)


#: Long enough that backtracking would show as a stalled suite; the megabyte, with its time,
#: is in `make bench` (benchmarks/hostile.py), where speed is measured rather than asserted.
LONG = 100_000


@pytest.mark.parametrize("unit", ["**x ", "*x ", "*x* ", "**x** ", "***\n", "* x*"])
def test_a_long_run_of_one_pattern_reads_as_that_pattern_repeated(unit):
    count = LONG // len(unit)
    assert strip_markup(unit * count) == strip_markup(unit) * count
    assert str(to_html(unit * count)) == str(to_html(unit)) * count
