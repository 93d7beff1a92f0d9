"""Warm renderers for a long-running front end: build plans -> PDF bytes, in worker processes.

The counter must answer in a fraction of a second, and a fresh process
spends longer importing WeasyPrint than rendering a leaflet. ``RenderPool``
starts its workers once, and each loads the renderer, the template, the
English messages, every language's catalogs and font character maps before
its first leaflet (``warm_up``): half a minute or more, which the server does
not wait for (``spawn``; ``warmed`` lets a request wait for the first warm
worker). Workers are spawned, not forked: the server that owns them runs an
event loop and threads, which a fork would copy half-way. With ``workers=0``
leaflets render in the calling process, one at a time (tests, and machines
with one core).

A personalised leaflet is rendered to bytes and handed back in memory; only
the stock leaflet (``build_stock``) is written, to the build output.

A worker that dies (killed, out of memory) breaks its executor for good: the
pool makes a new one at once (``watch`` notices the death, a failed leaflet
too) and says so with ``WorkerLost``, so the caller may ask again.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Literal, TypeVar

from leaflet.builder.pipeline import Plan, check_print, run_build
from leaflet.errors import RenderError, WorkerLost
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
    from leaflet.source.content import read_leaflet
    from leaflet.source.directions import read_directions

    _warm_up(project)
    for leaflet in project.leaflets():
        directions = None  # not the previous leaflet's: each has its own dose form
        with contextlib.suppress(LeafletError):  # a broken leaflet is reported when it is asked for
            content = read_leaflet(project.content_file(leaflet))
            # one dose at each time of day the leaflet allows: every phrase's glyphs are in the subsets
            times = [code for code, direction in read_directions(project.directions_file, content.form).items()
                     if direction.is_time and (not content.directions or code in content.directions)]
            directions = ",".join(f"{code}=1" for code in times) or None
        sample = BuildOptions(patient="A", directions=directions, free_directions="a")
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
    """A worker is born ignoring Ctrl-C (``_sigint_ignored``); this keeps it so, should a
    start method ever hand it Python's default handler."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm:
        warm_up(project)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ctrl-C in the terminal reaches every process of the group, and a spawned worker spends
    seconds importing WeasyPrint before its initializer runs: it must ignore SIGINT from its
    first instruction, so it is born with the disposition it inherits here. Only the main thread
    may change it; elsewhere (an in-process test client) no terminal sends one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


State = Literal["idle", "warming", "ready", "failed", "stopped"]


class RenderPool:
    """Worker processes that render leaflets, warmed before their first one.

    ``spawn`` starts the processes (quickly, from the main thread if there is a terminal's Ctrl-C
    to ignore) and ``wait_warm`` blocks until a worker is warm; ``start`` does both. A request
    submitted earlier waits in the queue: a worker never renders before its warm-up is done."""

    def __init__(self, project: Project, workers: int, warm: bool = True) -> None:
        self.project = project
        self.workers = workers
        self.warm = warm
        self._executor: Executor | None = None
        self._warming: set[Future[bool]] = set()  # one per worker; the first answered means one is warm
        self._lock = threading.Lock()  # in-process rendering: WeasyPrint is not made for threads
        self._stop = threading.Event()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def state(self) -> State:
        """Read from the workers' answers, so it stays true after a ``restart`` that nobody waits for."""
        if self._stop.is_set():
            return "stopped"
        if self._executor is None:
            return "idle"
        answered = [future for future in self._warming if future.done() and not future.cancelled()]
        if any(future.exception() is None for future in answered):
            return "ready"
        return "failed" if answered else "warming"

    def stop(self) -> None:
        """Give up a warm-up still under way (the server was asked to stop)."""
        self._stop.set()

    def start(self) -> None:
        """Start and warm the workers now, so the first patient does not wait for it."""
        self.spawn()
        self.wait_warm()

    def spawn(self) -> None:
        """Start every worker process now, ignoring Ctrl-C; they warm up on their own."""
        if self.workers <= 0:  # nothing to warm: the server's own process has imported the renderer
            self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="render")
            self._warming = {self._executor.submit(_ready)}
            return
        executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_worker, initargs=(self.project, self.warm))
        with _sigint_ignored():
            # A spawning executor starts a process per submit while none is idle, and may start
            # one later from its own thread; launched here, every one starts under the guard.
            launch = getattr(executor, "_launch_processes", None)
            if launch is not None:
                launch()
            self._warming = {executor.submit(_ready) for _ in range(self.workers)}
        self._executor = executor

    def wait_warm(self) -> None:
        """Block until a worker has warmed up (it answers ``_ready`` only after its warm-up), or
        until ``stop``: then end the workers without waiting for their warm-up. A worker that dies
        because the server is stopping (a SIGTERM to the whole group) is part of stopping."""
        while self.state == "warming":
            wait(self._warming, timeout=0.2, return_when=FIRST_COMPLETED)
        if self._stop.is_set():
            self._end_workers()
        elif self.state == "failed":
            raise RenderError("a render worker stopped while warming up",
                              hint="see the lines above; start the counter again")

    async def warmed(self, timeout: float | None) -> State:
        """The state once a worker is warm, the pool stopped or failed, or ``timeout`` seconds passed
        (None: no limit); waits in the event loop, holding no thread."""
        if self.state == "warming":
            await asyncio.wait([asyncio.wrap_future(future) for future in self._warming], timeout=timeout,
                               return_when=asyncio.FIRST_COMPLETED)
        return self.state

    def _end_workers(self) -> None:
        executor, self._executor = self._executor, None
        if isinstance(executor, ProcessPoolExecutor):
            for process in list(getattr(executor, "_processes", {}).values()):  # still warming up: no need to wait
                process.terminate()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def restart(self) -> None:
        """A worker died (killed, out of memory): the executor is broken for good, so make a new one,
        whose workers warm up while the next requests wait in its queue."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        self.spawn()

    def replace(self, broken: Executor) -> None:
        """New workers for ``broken``, once, however many leaflets its death failed."""
        if self._executor is broken and not self.stopped:
            self.restart()

    async def watch(self) -> bool:
        """Wait until a worker process ends, then replace them all at once (in the event loop's
        thread: the main one, which can ignore Ctrl-C), so the next leaflet finds warming workers,
        not a broken executor. True when the workers were replaced; False when there is nothing
        to watch, the pool stopped, or a worker died while warming up: it would die again."""
        executor = self._executor
        processes = list((getattr(executor, "_processes", None) or {}).values())
        if not processes or self.stopped:
            return False
        loop = asyncio.get_running_loop()
        ended: asyncio.Future[None] = loop.create_future()

        def end() -> None:
            if not ended.done():
                ended.set_result(None)

        try:
            for process in processes:
                loop.add_reader(process.sentinel, end)  # readable once the process has ended
            await ended
        except NotImplementedError:  # an event loop without readers: a failed leaflet will tell
            return False
        finally:
            for process in processes:
                loop.remove_reader(process.sentinel)
        if self.stopped:
            return False
        if self._executor is not executor:  # a failed leaflet replaced them already
            return True
        if self.state != "ready":
            return False
        self.restart()
        return True

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
            self.spawn()
        executor = self._executor
        assert executor is not None
        if self.workers <= 0:
            return await asyncio.get_running_loop().run_in_executor(executor, self._locked, function, plan)
        try:
            return await asyncio.wrap_future(executor.submit(function, self.project, plan))
        except BrokenProcessPool:
            self.replace(executor)  # here, in the event loop's thread: the main one, which can ignore Ctrl-C
            raise WorkerLost("a render worker stopped while making this leaflet; new workers are warming up",
                             hint="try again") from None

    def _locked(self, function: Callable[[Project, Plan], T], plan: Plan) -> T:
        with self._lock:
            return function(self.project, plan)
