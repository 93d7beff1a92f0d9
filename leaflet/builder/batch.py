"""Build many leaflets at once: (leaflet, language) jobs -> outcomes, across worker processes.

Workers are forked once and each renders many leaflets, so WeasyPrint, the
fonts' character maps and Babel's locale data are loaded once per worker,
not once per leaflet. Outcomes are reported as each job finishes; a job
whose catalogs fail the gate is reported with its problems and the others go on.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from leaflet.builder.pipeline import Plan, plan_build, run_plan
from leaflet.errors import CatalogProblems, LeafletError, PreflightFailed
from leaflet.project import Project
from leaflet.render.options import BuildOptions


@dataclass(frozen=True)
class Job:
    leaflet: str
    lang: str


@dataclass
class Outcome:
    """What happened to one job, in plain data so it crosses process boundaries."""

    job: Job
    path: Path | None = None
    skipped: bool = False
    seconds: float = 0.0
    error: str = ""
    exit_code: int = 0
    problems: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()  # the voice or braille table an edition used


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_job(project: Project, job: Job, options: BuildOptions, rebuild: bool, plan: Plan | None = None) -> Outcome:
    """One job, its failure reported as data; ``plan``: made already (each job is planned once)."""
    started = time.perf_counter()
    try:
        plan = plan or plan_build(job.leaflet, job.lang, project, options)
        built = run_plan(project, plan, rebuild=rebuild)
    except CatalogProblems as exc:
        problems = [str(p) for p in exc.problems if p.severity == "error"]
        return Outcome(job, error=exc.message, exit_code=exc.exit_code, problems=problems)
    except PreflightFailed as exc:
        return Outcome(job, error=exc.message, exit_code=exc.exit_code, problems=[str(p) for p in exc.problems])
    except LeafletError as exc:
        return Outcome(job, error=str(exc), exit_code=exc.exit_code)
    except OSError as exc:  # a disk full or a folder not writable fails this job, not the batch
        where = f"{exc.filename}: " if exc.filename else ""
        return Outcome(job, error=f"{where}{exc.strerror or exc}", exit_code=1)
    return Outcome(job, built.path, built.skipped, time.perf_counter() - started, notes=built.notes)


def _warm_up(project: Project) -> None:
    """Import the renderer, compile the template and extract the English once,
    before the workers are forked: each inherits them instead of redoing them."""
    import weasyprint  # noqa: F401

    from leaflet.catalogs.extract import extract_messages
    from leaflet.render.html import TEMPLATE, environment

    for domain in project.domains():
        with contextlib.suppress(LeafletError):  # a broken source fails its own jobs, with its message
            extract_messages(project, domain)
    environment(project).get_template(TEMPLATE)


def build_all(project: Project, jobs: list[Job], options: BuildOptions, *, workers: int = 1, rebuild: bool = False,
              on_done: Callable[[Outcome], None] = lambda outcome: None) -> list[Outcome]:
    """Run every job; ``workers`` > 1 renders in that many processes.

    Up-to-date outputs are found here first, so a no-op run starts no worker."""
    outcomes: list[Outcome] = []

    def finished(outcome: Outcome) -> None:
        outcomes.append(outcome)
        on_done(outcome)

    planned = _plan_each(project, jobs, options, finished)
    if not rebuild:
        planned = [(job, plan) for job, plan in planned if not _current(job, plan, finished)]
    if workers <= 1 or len(planned) <= 1:
        for job, plan in planned:
            finished(run_job(project, job, options, rebuild, plan))
        return outcomes
    import multiprocessing  # here: one leaflet, or a no-op, starts no worker and needs neither
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("fork")
    planned.sort(key=lambda item: -_expected_cost(item[1]))
    _warm_up(project)  # once, here: the forked workers inherit the imported renderer
    with ProcessPoolExecutor(max_workers=min(workers, len(planned)), mp_context=context) as pool:
        futures = [pool.submit(run_job, project, job, options, rebuild, plan) for job, plan in planned]
        for future in as_completed(futures):
            finished(future.result())
    return outcomes


def _plan_each(project: Project, jobs: list[Job], options: BuildOptions,
               on_done: Callable[[Outcome], None]) -> list[tuple[Job, Plan]]:
    """Each job planned once; one that cannot be (a bad profile, an unknown name) is reported."""
    planned = []
    for job in jobs:
        try:
            planned.append((job, plan_build(job.leaflet, job.lang, project, options)))
        except LeafletError as exc:
            on_done(Outcome(job, error=str(exc), exit_code=exc.exit_code))
    return planned


def _current(job: Job, plan: Plan, on_done: Callable[[Outcome], None]) -> bool:
    if plan.up_to_date():
        on_done(Outcome(job, plan.out, skipped=True))
        return True
    return False


def _expected_cost(plan: Plan) -> int:
    """Start the slowest leaflets first so no worker is left with a long one at the end;
    the size of the previous PDF is a good guess (Myanmar and CJK are the slowest)."""
    try:
        return plan.out.stat().st_size
    except OSError:
        return 1 << 30
