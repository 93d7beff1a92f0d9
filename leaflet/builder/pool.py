"""Warm renderers for a long-running front end: build plans -> PDF bytes, in worker processes.

The counter must answer in a fraction of a second, and a fresh process
spends longer importing WeasyPrint than rendering a leaflet. ``RenderPool``
starts its workers once, and each loads the renderer, the template, the
English messages, every language's catalogs and font character maps before
its first leaflet (``warm_up``). Workers are spawned, not forked: the server
that owns them runs an event loop and threads, which a fork would copy
half-way. With ``workers=0`` leaflets render in the calling process, one at
a time (tests, and machines with one core).

A personalised leaflet is rendered to bytes and handed back in memory; only
the stock leaflet (``build_stock``) is written, to the build output.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from leaflet.builder.pipeline import Plan, check_print, run_build
from leaflet.errors import RenderError
from leaflet.project import Project
from leaflet.render.edition import render_edition

T = TypeVar("T")


def warm_up(project: Project) -> None:
    """Everything that does not depend on the request, done before the first one: a
    sample patient's leaflet in every language loads its catalogs, fonts and character
    maps and makes the font subsets every later patient's leaflet will use."""
    from leaflet.builder.batch import _warm_up
    from leaflet.builder.pipeline import build_bytes
    from leaflet.errors import LeafletError
    from leaflet.render.options import BuildOptions
    from leaflet.source.directions import read_directions

    _warm_up(project)
    directions = next(iter(read_directions(project.directions_file)), None)
    sample = BuildOptions(patient="A", directions=directions, free_directions="a")
    for leaflet in project.leaflets()[:1]:
        for code in project.languages():
            # a broken catalog or a missing font is reported when that language is asked for
            with contextlib.suppress(LeafletError):
                build_bytes(leaflet, code, project=project, options=sample)


def render(project: Project, plan: Plan) -> bytes:
    """The personalised PDF, with the preflight's page checks (fonts, flow, margins, sizes): a page
    that would print wrongly is refused. Its text layer is not read back here, to keep the counter
    fast; the same leaflet's stock edition had it compared when it was built."""
    rendered = render_edition(project, plan)
    check_print(project, rendered, plan, Path("-"), text_layer=False)
    return rendered.data


def build_stock(project: Project, plan: Plan) -> Path:
    """The stock leaflet from the build output, rebuilt first only if its inputs changed."""
    return run_build(plan.leaflet, plan.lang, project=project, options=plan.options, rebuild=False).path


def _ready() -> bool:
    return True


def _start_worker(project: Project, warm: bool) -> None:
    """Ctrl-C in the terminal reaches every process of the group: the server stops its
    workers itself, so a worker ignores it instead of dying with a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm:
        warm_up(project)


class RenderPool:
    def __init__(self, project: Project, workers: int, warm: bool = True) -> None:
        self.project = project
        self.workers = workers
        self.warm = warm
        self._executor: Executor | None = None
        self._lock = threading.Lock()  # in-process rendering: WeasyPrint is not made for threads
        self._stop = threading.Event()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Give up a start that is still warming up (the server was asked to stop)."""
        self._stop.set()

    def start(self) -> None:
        """Start and warm every worker now, so the first patient does not wait for it."""
        if self.workers <= 0:
            self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="render")
            return
        self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(self.project, self.warm))
        waiting = {self._executor.submit(_ready) for _ in range(self.workers)}
        while waiting and not self._stop.is_set():
            done, waiting = wait(waiting, timeout=0.2)
            for future in done:
                future.result()
        if self._stop.is_set():
            self._end_workers()

    def _end_workers(self) -> None:
        executor, self._executor = self._executor, None
        if isinstance(executor, ProcessPoolExecutor):
            for process in list(getattr(executor, "_processes", {}).values()):  # still warming up: no need to wait
                process.terminate()
            executor.shutdown(wait=True, cancel_futures=True)

    def restart(self) -> None:
        """A worker died (killed, out of memory): the executor is broken for good, so make a new one."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        self.start()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    async def render(self, plan: Plan) -> bytes:
        return await self._run(render, plan)

    async def build_stock(self, plan: Plan) -> Path:
        return await self._run(build_stock, plan)

    async def _run(self, function: Callable[[Project, Plan], T], plan: Plan) -> T:
        if self._executor is None:
            self.start()
        assert self._executor is not None
        if self.workers <= 0:
            return await asyncio.get_running_loop().run_in_executor(self._executor, self._locked, function, plan)
        try:
            return await asyncio.wrap_future(self._executor.submit(function, self.project, plan))
        except BrokenProcessPool:
            await asyncio.get_running_loop().run_in_executor(None, self.restart)
            raise RenderError("a render worker stopped while making this leaflet; the workers were restarted",
                              hint="try again") from None

    def _locked(self, function: Callable[[Project, Plan], T], plan: Plan) -> T:
        with self._lock:
            return function(self.project, plan)
