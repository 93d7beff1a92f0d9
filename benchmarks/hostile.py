"""How long `leaflet check` and the markup reader take on a megabyte of hostile text.

The test suite checks that each hostile translation is still reported (tests/test_checks.py,
tests/test_markup.py, on 100 KB); this measures the time, which a test must not assert: a
timed test fails whenever the machine is busy. Part of `make bench`; alone:
`python benchmarks/hostile.py`.

Not a test: it measures and reports, it does not assert.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # also when tests/test_checks.py reads the cases

from timing import median_seconds  # noqa: E402  (benchmarks/, beside this file)

from leaflet.project import Project  # noqa: E402  (after the sys.path line: runs without an install)
from leaflet.source.markup import strip_markup, to_html  # noqa: E402

MEGABYTE = 1_000_000
LEAFLET_CLI = str(Path(sys.executable).parent / "leaflet")
ENV = {**os.environ, "LC_ALL": "C.UTF-8"}
PRECAUTIONS = 'msgstr "Precauciones"'
#: The first line of the Spanish dependence warning, whose "abstinencia" is the glossary's "withdrawal".
DEPENDENCE = '"El diazepam puede causar dependencia física y reacciones de abstinencia. La "'


def hostile_catalogs(size: int) -> list[tuple[str, str, str, str]]:
    """(name, what is replaced in the Spanish catalog, by what, a check that must still report it),
    each one translation of ``size`` characters of one pattern. The first four once made `leaflet
    check` quadratic (issue 12: 75 KB of the first took 58 s); the rest are a markup span every 4
    characters, a number every 4, a run of phone-number characters, doubled words, a continuation
    line every 76 characters (the .po scanner), a Plural-Forms header padded with spaces, and the
    words of a glossary term ("reacciones de abstinencia") never in its order.
    tests/test_checks.py reads the same cases at 100 KB."""
    def repeated(unit: str, prefix: str = "") -> str:
        return prefix + unit * ((size - len(prefix)) // len(unit))

    def wrapped(text: str) -> str:  # as Poedit and 'leaflet update' write a long string
        return "\n".join(f'"{text[i:i + 76]}"' for i in range(0, len(text), 76))

    return [
        ("bold-openers", PRECAUTIONS, f'msgstr "{repeated("**x ", "Diazepam ")}"', "markup"),
        ("emphasis-openers", PRECAUTIONS, f'msgstr "{repeated("*x ")}"', "markup"),
        ("dotted-run", PRECAUTIONS, f'msgstr "{repeated("a.")}"', "sentences"),
        ("www-run", PRECAUTIONS, f'msgstr "{repeated("www.")}"', "links"),
        ("emphasis-spans", PRECAUTIONS, f'msgstr "{repeated("*x* ")}"', "markup"),
        ("numbers", PRECAUTIONS, f'msgstr "{repeated("1 a ")}"', "numbers"),
        ("phone-run", PRECAUTIONS, f'msgstr "{repeated("1(")}"', "links"),
        ("doubled-words", PRECAUTIONS, f'msgstr "{repeated("aa ")}"', "double-words"),
        ("wrapped-lines", PRECAUTIONS, f'msgstr ""\n{wrapped(repeated("**x "))}', "markup"),
        ("plural-forms-spaces", "plural=(n != 1);", f"plural=n{' ' * size}x;", "plural-forms"),
        ("glossary-near-misses", DEPENDENCE, f'"{repeated("reacciones abstinencia de ")} La "', "glossary"),
    ]


MARKUP = ["**x ", "*x ", "*x* ", "**x** ", "***\n", "* x*"]


def check_seconds(old: str, new: str) -> float:
    """Whole-process `leaflet check es` (start-up included) on a copy of the project."""
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("content", "locales", "templates"):
            shutil.copytree(ROOT / part, Path(tmp) / part)
        po = Project(Path(tmp)).po_file("es", "diazepam")
        text = po.read_text(encoding="utf-8")
        po.write_text(text.replace(old, new, 1), encoding="utf-8")
        command = [LEAFLET_CLI, "--project", tmp, "check", "es"]  # exits 1: the text is wrong on purpose
        return median_seconds(lambda: subprocess.run(command, env=ENV, capture_output=True), runs=3, warm_up=False)


def markup_seconds(unit: str) -> float:
    text = unit * (MEGABYTE // len(unit))
    return median_seconds(lambda: (strip_markup(text), to_html(text)), runs=3, warm_up=False)


def hostile_lines() -> list[str]:
    lines = ["## `leaflet check es` on a 1 MB catalog", "",
             "One msgstr of 1 MB made of a repeated pattern (the Plural-Forms case: 1 MB of spaces in the "
             "header); whole process, median of 3 runs (target <= 2 s).", "",
             "| case | seconds |", "|---|---|"]
    lines += [f"| {name} | {check_seconds(old, new):.2f} |" for name, old, new, _ in hostile_catalogs(MEGABYTE)]
    lines += ["", "## The markup reader on 1 MB", "",
              "`strip_markup` and `to_html` on 1 MB of one pattern, in-process, median of 3 runs "
              "(target <= 1 s).", "", "| pattern | seconds |", "|---|---|"]
    lines += [f"| `{unit!r}` | {markup_seconds(unit):.3f} |" for unit in MARKUP]
    return lines + [""]


if __name__ == "__main__":
    print("\n".join(hostile_lines()))
