import pytest
from markupsafe import escape

from leaflet.markup import is_balanced, markup_tokens, strip_markup, to_html


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
