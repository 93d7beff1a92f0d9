"""Plural-Forms headers derived from CLDR, as the pinned Babel knows it.

Takes a language and gives the ``Plural-Forms`` header a new catalog gets,
compiled from Babel's CLDR rule for the counts a leaflet prints (whole
numbers, so the operands v, w, f, t, c and e are 0), forms numbered in CLDR's
category order (zero, one, two, few, many, other). There is no hand-kept
table: when CLDR changes a rule, the header follows the pinned Babel, and
``plural_change`` tells ``leaflet update`` which counts moved.

A header someone wrote is checked by the partition of 0..1000 it makes, not
by comparing strings, because real catalogs write one rule in many ways.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.plural import PluralRule

#: The counts a leaflet can print (``--count`` is 1..999) and a margin.
CHECK_RANGE = range(0, 1001)
PRINTED_COUNTS = frozenset(range(1, 1000))
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
#: CLDR operands that are 0 for a whole number; n and i are the number itself.
_ZERO_OPERANDS = frozenset("vwftce")
#: ``nplurals=N; plural=``; the expression is the rest, up to an optional ';' (``_expression``).
_HEADER = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=(.*)", re.S)

# -- compiling a CLDR rule to a C expression for whole numbers ------------------
#
# A compiled condition is True, False or (text, precedence); folding the zero
# operands away leaves only what gettext can evaluate (n, %, comparisons, !, &&, ||).

_OR, _AND, _COMPARISON, _ATOM = 1, 2, 3, 4
Condition = bool | tuple[str, int]


def _operand(node: tuple[str, Any]) -> int | str:
    op, args = node
    if op in ("n", "i"):
        return "n"
    if op in _ZERO_OPERANDS:
        return 0
    if op == "value":
        return int(args[0])
    if op == "mod":
        left, right = _operand(args[0]), _operand(args[1])
        if isinstance(left, int) and isinstance(right, int):
            return left % right
        return f"{left} % {right}"
    raise ValueError(f"unknown CLDR operand {op!r}")


def _in_ranges(value: int | str, ranges: list[tuple[Any, Any]]) -> Condition:
    bounds = [(int(_operand(lo)), int(_operand(hi))) for lo, hi in ranges]
    if isinstance(value, int):
        return any(lo <= value <= hi for lo, hi in bounds)
    parts = [f"{value} == {lo}" if lo == hi else f"{value} >= {lo} && {value} <= {hi}" for lo, hi in bounds]
    if len(parts) == 1:
        return parts[0], (_COMPARISON if "&&" not in parts[0] else _AND)
    return " || ".join(parts), _OR


def _wrap(condition: tuple[str, int], at_least: int) -> str:
    text, precedence = condition
    return text if precedence >= at_least else f"({text})"


def _join(left: Condition, right: Condition, operator: str) -> Condition:
    absorbing, neutral, precedence = (False, True, _AND) if operator == "&&" else (True, False, _OR)
    if left is absorbing or right is absorbing:
        return absorbing
    if left is neutral:
        return right
    if right is neutral:
        return left
    assert isinstance(left, tuple) and isinstance(right, tuple)
    return f"{_wrap(left, precedence)} {operator} {_wrap(right, precedence)}", precedence


def _negate(condition: Condition) -> Condition:
    if isinstance(condition, bool):
        return not condition
    text, precedence = condition
    if precedence == _COMPARISON and " == " in text:
        return text.replace(" == ", " != "), _COMPARISON
    return f"!({text})", _ATOM


def _condition(node: tuple[str, Any]) -> Condition:
    op, args = node
    if op in ("and", "or"):
        return _join(_condition(args[0]), _condition(args[1]), "&&" if op == "and" else "||")
    if op == "not":
        return _negate(_condition(args[0]))
    if op in ("is", "isnot"):
        wanted = ("value", (_operand(args[1]),))
        same = _in_ranges(_operand(args[0]), [(wanted, wanted)])
        return same if op == "is" else _negate(same)
    if op == "relation":  # 'in' and 'within' agree on whole numbers
        _method, expr, (_kind, ranges) = args
        return _in_ranges(_operand(expr), list(ranges))
    raise ValueError(f"unknown CLDR condition {op!r}")


# -- the header a new catalog gets ------------------------------------------------

def cldr_rule(code: str) -> PluralRule:
    return Locale.parse(code).plural_form


@functools.lru_cache(maxsize=256)
def cldr_knows(code: str) -> bool:
    """Whether the pinned Babel's CLDR has the plural rules of this code (``tet``, ``ber``,
    ``zh_Hans_x`` or a language's name written as its code: no)."""
    try:
        cldr_rule(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def header_for_rule(rule: PluralRule) -> str:
    """``nplurals=N; plural=EXPR;`` for whole numbers; the last used category needs no test."""
    used = {rule(n) for n in CHECK_RANGE}
    tags = [tag for tag in CLDR_ORDER if tag in used]
    conditions = dict(rule.abstract)
    branches = []
    for index, tag in enumerate(tags[:-1]):
        compiled = _condition(conditions[tag])
        if compiled is False:
            continue
        if compiled is True:  # nothing after it can be reached
            tags = tags[: index + 1]
            break
        branches.append(f"{_wrap(compiled, _OR)} ? {index} : ")
    if not branches:
        return f"nplurals={len(tags)}; plural=0;"
    return f"nplurals={len(tags)}; plural=({''.join(branches)}{len(tags) - 1});"


def plural_forms(code: str) -> str:
    """The header for a new catalog of this language."""
    return header_for_rule(cldr_rule(code))


# -- headers someone wrote ---------------------------------------------------------

def parse_plural_forms(header: str) -> tuple[int, Callable[[int], int]]:
    """``nplurals`` and the plural function; ValueError if the header is not valid C."""
    match = _HEADER.match((header or "").strip())
    expression = _expression(match.group(2)) if match else ""
    if match is None or not expression:
        raise ValueError("expected 'nplurals=N; plural=EXPRESSION;'")
    nplurals = int(match.group(1))
    if not 1 <= nplurals <= 6:
        raise ValueError(f"nplurals={nplurals}; CLDR has 1 to 6 forms")
    return nplurals, compile_c_expression(expression)


def header_nplurals(metadata: dict[str, str]) -> int | None:
    """A catalog's number of plural forms, from its header; None when the header is broken
    (``leaflet check`` names it)."""
    try:
        return parse_plural_forms(metadata.get("Plural-Forms", ""))[0]
    except ValueError:
        return None


def _expression(rest: str) -> str:
    """The text after ``plural=`` without one final ';' and the spaces around it. Done with
    str methods: a pattern like ``(.+?)\\s*;?\\s*$`` rescans a run of spaces from each of them."""
    expression = rest.strip()
    expression = expression[:-1].rstrip() if expression.endswith(";") else expression
    return "" if "\n" in expression else expression


# -- evaluating a plural expression exactly as GNU gettext does ---------------------
#
# Python's gettext.c2py gives '!' Python's precedence: it reads "!n % 100 == 11"
# as not (n % 100 == 11), where C (msgfmt, Poedit, every gettext runtime) reads
# (!n) % 100 == 11. This is the grammar of gettext's plural.y, with C's precedence.

_TOKEN = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]))")
_BINARY: dict[str, tuple[int, Callable[[int, int], int]]] = {
    "||": (1, lambda a, b: int(bool(a) or bool(b))), "&&": (2, lambda a, b: int(bool(a) and bool(b))),
    "==": (3, lambda a, b: int(a == b)), "!=": (3, lambda a, b: int(a != b)),
    "<": (4, lambda a, b: int(a < b)), ">": (4, lambda a, b: int(a > b)),
    "<=": (4, lambda a, b: int(a <= b)), ">=": (4, lambda a, b: int(a >= b)),
    "+": (5, lambda a, b: a + b), "-": (5, lambda a, b: a - b),
    "*": (6, lambda a, b: a * b), "/": (6, lambda a, b: _divide(a, b, "/")), "%": (6, lambda a, b: _divide(a, b, "%")),
}
Expression = Callable[[int], int]


def _divide(a: int, b: int, operator: str) -> int:
    if b == 0:
        raise ValueError(f"the plural expression divides by zero ('{operator} 0')")
    return a // b if operator == "/" else a % b


#: Longer than any real rule; the parser recurses once per nesting level.
MAX_TOKENS = 2000


def _tokens(text: str) -> list[str]:
    tokens, position, end = [], 0, len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        if not match:
            raise ValueError(f"unexpected {text[position:].strip()[:10]!r} in the plural expression")
        tokens.append(match.group(match.lastindex or 0))
        if len(tokens) > MAX_TOKENS:
            raise ValueError("the plural expression is too long")
        position = match.end()
    return tokens


def compile_c_expression(text: str) -> Expression:
    """The plural expression as a function of n; ValueError if gettext would not accept it."""
    tokens = _tokens(text)
    try:
        expression, rest = _parse(tokens, 0)
    except RecursionError:
        raise ValueError("the plural expression is nested too deeply") from None
    if rest:
        raise ValueError(f"unexpected {rest[0]!r} in the plural expression")
    return expression


def _parse(tokens: list[str], min_precedence: int) -> tuple[Expression, list[str]]:
    left, tokens = _unary(tokens)
    while tokens:
        operator = tokens[0]
        if operator == "?" and min_precedence == 0:
            then, tokens = _parse(tokens[1:], 0)
            if not tokens or tokens[0] != ":":
                raise ValueError("'?' without ':' in the plural expression")
            otherwise, tokens = _parse(tokens[1:], 0)
            left = _conditional(left, then, otherwise)
            continue
        if operator not in _BINARY or _BINARY[operator][0] <= min_precedence:
            break
        precedence, apply = _BINARY[operator]
        right, tokens = _parse(tokens[1:], precedence)
        left = _binary(apply, left, right)
    return left, tokens


def _unary(tokens: list[str]) -> tuple[Expression, list[str]]:
    if not tokens:
        raise ValueError("the plural expression ends too early")
    token, rest = tokens[0], tokens[1:]
    if token == "!":
        inner, rest = _unary(rest)
        return (lambda n: int(not inner(n))), rest
    if token == "(":
        inner, rest = _parse(rest, 0)
        if not rest or rest[0] != ")":
            raise ValueError("unbalanced '(' in the plural expression")
        return inner, rest[1:]
    if token == "n":
        return (lambda n: n), rest
    if token.isdigit():
        value = int(token)
        return (lambda n: value), rest
    raise ValueError(f"unexpected {token!r} in the plural expression")


def _binary(apply: Callable[[int, int], int], left: Expression, right: Expression) -> Expression:
    return lambda n: apply(left(n), right(n))


def _conditional(test: Expression, then: Expression, otherwise: Expression) -> Expression:
    return lambda n: then(n) if test(n) else otherwise(n)


@functools.lru_cache(maxsize=256)
def cldr_partition(code: str) -> list[frozenset[int]]:
    """The numbers 0..1000 grouped by CLDR category, in CLDR order."""
    rule = cldr_rule(code)
    groups: dict[str, set[int]] = {}
    for n in CHECK_RANGE:
        groups.setdefault(rule(n), set()).add(n)
    return [frozenset(groups[tag]) for tag in CLDR_ORDER if tag in groups]


@functools.lru_cache(maxsize=256)
def header_partition(header: str) -> list[frozenset[int]]:
    """The numbers 0..1000 grouped by the form the header picks, in form order."""
    nplurals, plural = parse_plural_forms(header)
    groups: dict[int, set[int]] = {}
    for n in CHECK_RANGE:
        form = plural(n)
        if not 0 <= form < nplurals:
            raise ValueError(f"gives form {form} for n={n}, but nplurals={nplurals}")
        groups.setdefault(form, set()).add(n)
    return [frozenset(groups[i]) for i in sorted(groups)]


def matches_cldr(code: str, header: str) -> bool:
    """Same groups of numbers as CLDR; the order of the forms is the translator's business."""
    return set(header_partition(header)) == set(cldr_partition(code))


# -- when CLDR changes ----------------------------------------------------------------

@dataclass(frozen=True)
class PluralChange:
    """How a catalog's forms map onto the forms CLDR now has."""

    old_header: str
    new_header: str
    #: For each new form, the old form whose text it starts from.
    source_forms: tuple[int, ...]
    old_groups: tuple[frozenset[int], ...]
    new_groups: tuple[frozenset[int], ...]
    #: Counts that now print a text another group of counts used to print.
    moved: frozenset[int]

    def describe(self) -> str:
        moved = f"; {spans(self.moved)} now print the text of another form" if self.moved else ""
        return (f"CLDR groups the counts as {_groups(self.new_groups)} "
                f"(the catalog had {_groups(self.old_groups)}){moved}")


def plural_change(code: str, header: str) -> PluralChange | None:
    """None when the header already groups the counts as CLDR does (or cannot be read:
    ``leaflet check`` reports that); otherwise how to carry the old texts over."""
    try:
        if matches_cldr(code, header):
            return None
        _, old_form = parse_plural_forms(header)
        old_groups = header_partition(header)
    except ValueError:
        return None
    new_header = plural_forms(code)
    new_groups = header_partition(new_header)
    sources, moved = [], set()
    for group in new_groups:
        votes: dict[int, int] = {}
        for n in group:  # the old form most of these counts printed
            votes[old_form(n)] = votes.get(old_form(n), 0) + 1
        source = max(sorted(votes), key=votes.__getitem__)
        sources.append(source)
        moved |= {n for n in group if old_form(n) != source}
    return PluralChange(header, new_header, tuple(sources), tuple(old_groups), tuple(new_groups),
                        frozenset(moved))


def spans(numbers: frozenset[int] | set[int]) -> str:
    """``0-1, 5, 7-9``: a set of counts as a reader scans it."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    return ", ".join(shown[:6]) + (", ..." if len(shown) > 6 else "")


def _groups(groups: tuple[frozenset[int], ...]) -> str:
    return " | ".join(f"form {i}: {spans(g)}" for i, g in enumerate(groups))
