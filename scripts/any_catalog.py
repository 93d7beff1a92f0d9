"""Does `leaflet check FILE` take any real catalog as `msgfmt -c` does? (issue 25, part 6)

Takes a folder of real .po files from other projects (default $LEAFLET_CATALOG_CORPUS or
/tmp/catalog-corpus; never committed) and runs, on each file, `leaflet check FILE` and
`leaflet check --gettext FILE` (in process, as the command line runs them) and
`msgfmt -c -o /dev/null FILE`. Prints the figures of plain `leaflet check`, the gate of a
leaflet's text: files refused for want of a language, files msgfmt -c refuses that leaflet
accepts (a disagreement), files leaflet refuses at the syntax level that msgfmt -c
accepts (a disagreement, unless it is a rule documented in leaflet/catalogs/pofile.py),
and files msgfmt -c accepts that leaflet refuses for its own checks (untranslated,
fuzzy, numbers...: by design), by check. Then those of `leaflet check --gettext`, which
must agree with msgfmt -c on every file: both accept, both refuse, each disagreement,
and the refusals and warnings by check. `-v` lists every disagreement.

The folder used for the figures in issue 25 holds the .po files of these packages::

    pip download --no-deps --only-binary :all: -d DIR wagtail plone.app.locales pretix \\
        django-countries django-allauth django-filer humanize WTForms Babel
    # unzip each wheel into DIR/x/<name>; Babel's catalogs are in its sdist (tests/messages/data)
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.cli import main as leaflet  # noqa: E402  (after the sys.path line: runs without an install)

CORPUS = Path(os.environ.get("LEAFLET_CATALOG_CORPUS", Path(tempfile.gettempdir()) / "catalog-corpus"))
#: What msgfmt -c checks too: a refusal for one of these is a refusal for msgfmt's reasons.
MSGFMT_CHECKS = frozenset({"syntax", "plural-forms", "placeholders"})
_PROBLEM = re.compile(r"^.*?:(\d+): (error|warning|note): ([\w-]+): (.*)$")
_NO_LANGUAGE = re.compile(r"no (valid )?Language header|pass --lang")


def leaflet_check(path: Path, *options: str) -> tuple[int, list[tuple[int, str, str, str]]]:
    """Exit code and the problems `leaflet check [OPTIONS] FILE` prints: (line, severity, check, message)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = leaflet(["--project", str(ROOT), "check", *options, str(path)])
    found = [(int(m[1]), m[2], m[3], m[4]) for line in out.getvalue().splitlines() if (m := _PROBLEM.match(line))]
    return code, found


def msgfmt_check(path: Path) -> tuple[bool, str]:
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, check=False,
                            env={"LC_ALL": "C.UTF-8", "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    errors = [line for line in result.stderr.decode("utf-8", "replace").splitlines() if ": warning: " not in line]
    return result.returncode == 0, (errors or [""])[0]


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    folder = Path(next((a for a in argv if a != "-v"), CORPUS))
    files = sorted(folder.rglob("*.po"))
    if not files:
        print(f"no .po files in {folder}: see this script's docstring to fetch them")
        return 2
    started = time.perf_counter()
    no_language, too_lenient, too_strict, own_checks, notes = [], [], [], Counter(), Counter()
    both_accept = both_refuse = 0
    gettext = GettextFigures()
    for path in files:
        code, problems = leaflet_check(path)
        accepted, first = msgfmt_check(path)
        gettext.add(path, accepted, first, *leaflet_check(path, "--gettext"))
        errors = {(check, message) for _, severity, check, message in problems if severity == "error"}
        notes.update(check for _, severity, check, _ in problems if severity == "note")
        if any(_NO_LANGUAGE.search(message) for _, message in errors):
            no_language.append(path)
        both_accept += accepted and code == 0
        both_refuse += not accepted and code != 0
        if not accepted and code == 0:
            too_lenient.append((path, first))
        elif accepted and any(check == "syntax" for check, _ in errors):
            too_strict.append((path, next(m for c, m in errors if c == "syntax")))
        elif accepted and errors:
            own_checks.update({check for check, _ in errors})
    seconds = time.perf_counter() - started
    if verbose:
        for path, why in too_lenient:
            print(f"{path}: msgfmt -c refuses it ({why}), leaflet accepts it")
        for path, why in too_strict:
            print(f"{path}: msgfmt -c accepts it, leaflet refuses it: {why}")
        for path in no_language:
            print(f"{path}: refused for want of a language")
    print(f"{len(files)} catalogs in {folder}, {seconds:.0f} s")
    print(f"  both accept: {both_accept}; both refuse: {both_refuse}")
    print(f"  refused for want of a language: {len(no_language)}")
    print(f"  msgfmt -c refuses, leaflet accepts: {len(too_lenient)}")
    print(f"  msgfmt -c accepts, leaflet refuses as unreadable (pofile.py's charset rule): {len(too_strict)}")
    print(f"  msgfmt -c accepts, leaflet refuses for its own checks (files per check): "
          f"{', '.join(f'{c} {n}' for c, n in own_checks.most_common()) or 'none'}")
    print(f"  notes: {', '.join(f'{c} {n}' for c, n in notes.most_common()) or 'none'}")
    gettext.report(verbose)
    return 1 if too_lenient or no_language or gettext.disagreements else 0


class GettextFigures:
    """`leaflet check --gettext` against msgfmt -c, file by file."""

    def __init__(self) -> None:
        self.both_accept = self.both_refuse = 0
        self.disagreements: list[tuple[Path, str]] = []
        self.refused: Counter[str] = Counter()
        self.warned: Counter[str] = Counter()

    def add(self, path: Path, accepted: bool, why: str, code: int, problems: list[tuple[int, str, str, str]]) -> None:
        self.both_accept += accepted and code == 0
        self.both_refuse += not accepted and code != 0
        if accepted != (code == 0):
            said = "accepts" if accepted else f"refuses ({why})"
            self.disagreements.append((path, f"msgfmt -c {said}, leaflet check --gettext exits {code}"))
        self.refused.update({check for _, severity, check, _ in problems if severity == "error"})
        self.warned.update({check for _, severity, check, _ in problems if severity == "warning"})

    def report(self, verbose: bool) -> None:
        if verbose:
            for path, why in self.disagreements:
                print(f"{path}: {why}")
        total = self.both_accept + self.both_refuse + len(self.disagreements)
        print("leaflet check --gettext (only what msgfmt -c checks):")
        print(f"  agrees with msgfmt -c on {self.both_accept + self.both_refuse} of {total} files: "
              f"both accept {self.both_accept}, both refuse {self.both_refuse}; disagreements: "
              f"{len(self.disagreements)}")
        print(f"  refused, files per check: "
              f"{', '.join(f'{c} {n}' for c, n in self.refused.most_common()) or 'none'}")
        print(f"  warnings, files per check: "
              f"{', '.join(f'{c} {n}' for c, n in self.warned.most_common()) or 'none'}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
