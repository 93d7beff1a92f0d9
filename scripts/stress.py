"""The personalised stress set of issue 24: the leaflets most likely to print wrong, each
built (every build runs the preflight on its own bytes) and counted.

Every right-to-left language and bn, my, ko; both leaflets; standard, large print and
bilingual; A4 and Letter; a pharmacy with a 70-character name, a three-line address and an
international phone number with an extension; two patients: a 40+ character Latin name with
count 1, and a 40+ character Arabic-script name with count 999; free directions of 300
characters mixing English and the patient's own script, with a dose, a time, a phone number
and a web address. Writes into a temporary folder (never output/), prints one line per
refused leaflet and the figures, and exits 1 if any leaflet was refused.

    make stress            # or: .venv/bin/python scripts/stress.py [--jobs N] [LANG...]
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import itertools
import os
import re
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.cli import main as leaflet  # noqa: E402  (after the sys.path line: runs without an install)
from leaflet.project import Project  # noqa: E402
from leaflet.render.context import directions_sentence  # noqa: E402
from leaflet.render.options import BuildOptions  # noqa: E402

LANGUAGES = ("ar", "fa", "ps", "ur", "yi", "bn", "my", "ko")
EDITIONS = {"standard": [], "large": ["--large-print"], "bilingual": ["--bilingual"]}
PAPERS = ("a4", "letter")
PHARMACY = '''name = "The Riverside and Springfield Community Pharmacy & Late-Night Dispensary"
address = """Unit 4, Riverside Shopping Centre
12-14 River Street
Springfield SP1 2AB"""
phone = "+44 (0)20 7946 0958 ext. 123"
'''
PATIENTS = (("Maria-Fernanda Alexandrina Montgomery-Rodriguez", 1),
            ("عبد الرحمن بن محمد بن عبد العزيز آل عبد اللطيف", 999))
URL = "https://www.nhs.uk/medicines/diazepam/"
MAX_DIRECTIONS = 300


def free_directions(project: Project, lang: str) -> str:
    """300 characters: English, then the leaflet's own sentence in the patient's script, with a
    dose, a time, a phone number and a web address, the script's sentence repeated to fill them."""
    own = re.sub("<[^>]+>", "", str(directions_sentence(
        project, "diazepam", lang, BuildOptions(directions="bedtime", count=2))))
    own = "".join(c for c in html.unescape(own) if unicodedata.category(c) != "Cf")  # as a pharmacist types it
    text = f"Take with water. {own} 2.5 mg 22:00 +44 20 7946 0958 {URL}"
    while len(text) < MAX_DIRECTIONS:
        text += " " + own
    text = text[:MAX_DIRECTIONS]  # exactly 300: the last sentence cut, as a counter's field cuts it
    return text[:-1] + "." if text[-1].isspace() else text


def cases(languages: tuple[str, ...]) -> list[tuple[str, str, str, str, int]]:
    return [(lang, leaflet, edition, paper, index)
            for lang, leaflet, edition, paper, index in itertools.product(
                languages, ("diazepam", "zolpidem"), EDITIONS, PAPERS, range(len(PATIENTS)))]


def build_one(case: tuple[str, str, str, str, int], folder: str, directions: str,
              root: Path = ROOT) -> tuple[str, int, str]:
    """One stress leaflet into ``folder`` (which holds the profile): its name, exit code and what it said."""
    lang, leaflet_id, edition, paper, index = case
    patient, count = PATIENTS[index]
    out = Path(folder) / f"{leaflet_id}-{lang}-{edition}-{paper}-{index}.pdf"
    args = ["--project", str(root), "build", "-q", "--leaflet", leaflet_id, "--lang", lang, *EDITIONS[edition],
            "--paper", paper, "--pharmacy", str(Path(folder) / "pharmacy.toml"), "--patient", patient,
            "--directions", "bedtime", "--count", str(count), "--free-directions", directions,
            "--date", "2026-11-20", "-o", str(out)]
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = leaflet(args)
    return out.name, code, said.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    project = Project(ROOT)
    todo = cases(tuple(args.languages))
    started = time.perf_counter()
    refused = 0
    with tempfile.TemporaryDirectory(prefix="leaflet-stress-") as folder:
        (Path(folder) / "pharmacy.toml").write_text(PHARMACY, encoding="utf-8")
        texts = {lang: free_directions(project, lang) for lang in args.languages}
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(build_one, case, folder, texts[case[0]]) for case in todo]
            for future in futures:
                name, code, said = future.result()
                if code != 0:
                    refused += 1
                    first = next((line for line in said.splitlines() if "error" in line), said.strip()[:300])
                    print(f"{name}: refused: {first}")
    print(f"{len(todo)} personalised stress leaflets ({', '.join(args.languages)}; 2 leaflets x 3 editions x "
          f"2 papers x 2 patients): {len(todo) - refused} passed the preflight, {refused} refused, "
          f"in {time.perf_counter() - started:.0f} s")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
