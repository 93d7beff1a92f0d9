"""Build every printed edition into a temporary folder and print how full its pages are and
how long its lines are, with what the preflight finds in them (issue 24).

Every language and leaflet, standard, large-print and bilingual, A4 and Letter, and a
personalised large-print leaflet (the README's example: the example pharmacy, "Ana García",
bedtime, 2 tablets) in every language, A4 and Letter. Each is rendered without the build's own
preflight, so a leaflet that fails it is still measured; the preflight then runs on its bytes
(fonts, page flow, page 1, fill, measure, margins, sizes; not the text layer).

    .venv/bin/python scripts/page_figures.py            # 2 processes; -j N for more
    .venv/bin/python scripts/page_figures.py --keep DIR # keep the PDFs in DIR

Page fill is ``preflight.page_fill``: the bottom of a page's last line of text as a share of the
text area. Characters per line is ``preflight.line_lengths``: each full line of a paragraph (one
its paragraph goes on after), each column on its own, a wide CJK character counted twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from leaflet.project import Project
from leaflet.render.edition import render_edition, resolve_edition
from leaflet.render.options import BuildOptions
from leaflet.render.preflight import Expected, errors, line_lengths, page_fill, preflight
from leaflet.render.printed import read_printed

EDITIONS: dict[str, dict[str, object]] = {"standard": {}, "large": {"large_print": True},
                                         "bilingual": {"bilingual": True}}
PERSONAL = {"large_print": True, "pharmacy": "pharmacy.example.toml", "patient": "Ana García",
            "directions": "bedtime", "count": 2, "date": dt.date(2026, 11, 20)}


@dataclass(frozen=True)
class Job:
    leaflet: str
    lang: str
    edition: str
    paper: str

    @property
    def name(self) -> str:
        return f"{self.leaflet}.{self.lang}.{self.edition}.{self.paper}"


@dataclass(frozen=True)
class Measured:
    job: Job
    fill: tuple[float, ...]
    line_medians: tuple[float, ...]
    problems: tuple[str, ...]


def jobs(project: Project) -> list[Job]:
    found = []
    for paper in ("a4", "letter"):
        for leaflet in project.leaflets():
            for lang in project.languages():
                found += [Job(leaflet, lang, edition, paper) for edition in [*EDITIONS, "personal"]
                          if not (lang == "en" and edition == "bilingual")]
    return found


def measure(job: Job, keep: Path) -> Measured:
    project = Project.default()
    options = dict(PERSONAL if job.edition == "personal" else EDITIONS[job.edition])
    if "pharmacy" in options:
        options["pharmacy"] = project.root / str(options["pharmacy"])
    edition = resolve_edition(project, job.leaflet, job.lang, BuildOptions(paper=job.paper, **options))
    data = render_edition(project, edition).data
    (keep / f"{job.name}.pdf").write_bytes(data)
    printed = read_printed(data)
    medians = tuple(statistics.median(lengths) for lengths in map(line_lengths, printed.pages) if len(lengths) >= 5)
    found = errors(preflight(data, Expected(job.lang, edition.options.large_print), job.name))
    return Measured(job, page_fill(printed).shares, medians, tuple(str(f) for f in found))


def spread(values: list[float], percent: bool) -> str:
    if not values:
        return "-"
    shown = (lambda v: f"{v:.0%}") if percent else (lambda v: f"{v:.0f}")
    return f"{shown(min(values)):>5} {shown(statistics.median(values)):>5} {shown(max(values)):>5}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the PDFs in this folder")
    args = parser.parse_args()
    project = Project.default()
    with tempfile.TemporaryDirectory(prefix="page-figures-") as temporary:
        keep = args.keep or Path(temporary)
        keep.mkdir(parents=True, exist_ok=True)
        todo = jobs(project)
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(measure, todo, [keep] * len(todo)))
    groups: dict[tuple[str, str], list[Measured]] = defaultdict(list)
    for result in results:
        groups[(result.job.edition, result.job.paper)].append(result)
    print(f"{len(results)} PDFs. Fill: pages but the last / last page; characters per full line: "
          "each page's median (min median max)")
    print(f"{'edition':<10} {'paper':<7} {'PDFs':>4} {'pages':>5}  {'fill, not last':>17}  {'fill, last':>17}  "
          f"{'chars per line':>17}  problems")
    for (edition, paper), measured in sorted(groups.items()):
        inner = [share for m in measured for share in m.fill[:-1]]
        last = [m.fill[-1] for m in measured if len(m.fill) > 1]
        lines = [median for m in measured for median in m.line_medians]
        pages = sum(len(m.fill) for m in measured)
        problems = sum(len(m.problems) for m in measured)
        print(f"{edition:<10} {paper:<7} {len(measured):>4} {pages:>5}  {spread(inner, True):>17}  "
              f"{spread(last, True):>17}  {spread(lines, False):>17}  {problems}")
    failing = [problem for m in results for problem in m.problems]
    for problem in failing:
        print(problem)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
