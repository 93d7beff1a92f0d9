"""The print jobs a counter sent: each watched until it finishes, then removed from the CUPS spool.

``PrintJobs.send(pdf, ...)`` hands a leaflet to the pharmacy profile's printer
(``leaflet.printer``) and watches the job in the background: once CUPS says it
is completed, canceled or aborted, the job is purged, so the patient's PDF
does not stay in the server's spool (CUPS keeps a printed job's document for a
day unless ``PreserveJobFiles No``). ``state(job)`` is the last state seen, for
the page and ``GET /print-jobs/{job}``. What is kept, in memory and for the
last ``KEPT`` jobs only, is the printer, the job's number and its state: never
a leaflet or anything typed for a patient.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from dataclasses import replace

from starlette.concurrency import run_in_threadpool

from leaflet.errors import PrinterError, UnknownPrintJob, UsageError
from leaflet.printer import JobState, Printer

log = logging.getLogger("leaflet.counter")
#: Seconds between two looks at a job: often at first (a leaflet prints in seconds), then rarely
#: (a printer out of paper may hold a job for hours).
POLL = 0.5
SLOW_POLL = 5.0
QUICK_FOR = 120.0
KEPT = 500


class PrintJobs:
    def __init__(self, printer: Printer | None, poll: float = POLL) -> None:
        self.printer = printer
        self.poll = poll
        self.states: collections.OrderedDict[int, JobState] = collections.OrderedDict()
        self.watchers: dict[int, asyncio.Task[None]] = {}

    def require_printer(self) -> Printer:
        """Asked before a leaflet is made for the printer, so a counter without one refuses at once."""
        if self.printer is None:
            raise UsageError("this counter has no printer",
                             hint='name one in the pharmacy profile: printer = "Front_Desk" (lpstat -p lists them)')
        return self.printer

    async def send(self, pdf: bytes, *, title: str, paper: str) -> JobState:
        printer = self.require_printer()
        state = await run_in_threadpool(lambda: printer.send(pdf, title=title, paper=paper))
        self._remember(state)
        self.watchers[state.job] = asyncio.create_task(self._watch(printer, state.job))
        self.watchers[state.job].add_done_callback(lambda _: self.watchers.pop(state.job, None))
        return state

    def state(self, job: int | str) -> JobState:
        number = int(job) if str(job).isdecimal() and len(str(job)) < 12 else None
        if number is None or number not in self.states:
            raise UnknownPrintJob(f"this counter sent no print job {str(job)[:20]}",
                                  hint="ask the counter that printed it; a restarted counter forgets its jobs")
        return self.states[number]

    async def close(self) -> None:
        """At shutdown: stop watching; a job that has not finished stays in CUPS's spool until it prints."""
        for job, task in list(self.watchers.items()):
            task.cancel()
            log.warning("print job %d on %s has not finished: CUPS keeps its file until it does "
                        "(with PreserveJobFiles No in cupsd.conf, CUPS deletes it then)", job,
                        self.printer.name if self.printer else "?")
        await asyncio.gather(*self.watchers.values(), return_exceptions=True)

    async def _watch(self, printer: Printer, job: int) -> None:
        started = time.monotonic()
        while True:
            await asyncio.sleep(self.poll if time.monotonic() - started < QUICK_FOR else SLOW_POLL)
            try:
                state = await run_in_threadpool(printer.job_state, job)
            except PrinterError as exc:  # the server restarting: look again later
                log.warning("cannot see print job %d: %s", job, exc)
                continue
            if state.finished:
                break
            self._remember(state)
        self._remember(replace(state, removed=await self._purge(printer, state)))

    async def _purge(self, printer: Printer, state: JobState) -> bool:
        if state.state == "gone":
            return False
        try:
            await run_in_threadpool(printer.purge, state.job)
        except PrinterError as exc:
            log.warning("print job %d finished, but its file stays in CUPS's spool: %s "
                        "(set PreserveJobFiles No in cupsd.conf)", state.job, exc)
            return False
        return True

    def _remember(self, state: JobState) -> None:
        self.states[state.job] = state
        self.states.move_to_end(state.job)
        while len(self.states) > KEPT:
            self.states.popitem(last=False)
