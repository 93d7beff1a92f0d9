"""The pharmacy counter as an ASGI application: HTTP requests -> the leaflet library -> PDFs.

``create_app(project, ...)`` gives a Starlette application; ``leaflet serve``
runs it with uvicorn, and tests call it in-process with Starlette's
``TestClient``. Like the CLI, it is a front end: each route parses a
request, calls the library (``plan_build``, the render pool, ``offer``,
``history``) and turns a ``LeafletError`` into a problem detail with the
CLI's words (``problems.py``), or, for the page's own form, into the page
again with the message at the top. The application keeps no state between
requests: stock PDFs come from the build output, personalised ones are made
in memory and never written, and every print goes to the history file.

The page's form can also show page 1 as a picture (made in memory,
``leaflet.proofs.picture``) and, when the pharmacy profile names a printer,
send the leaflet there through CUPS (``jobs.py``, which watches each job and
removes it from the CUPS spool once it is done: the only state kept, in
memory, is each recent job's number and state).

The render workers warm up in the background (half a minute or more): the
page, the listing, ``/healthz`` and up-to-date stock PDFs are served at once,
from this process, and a request that needs a worker waits for the first one
to be warm for up to ``Settings.warm_up_wait`` seconds, then is refused with
503 and ``Retry-After`` (``NotReady``). A worker that dies is replaced at
once, and a leaflet it was making is asked of the new workers, once.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import secrets
import signal
import threading
import traceback
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from python_multipart.multipart import parse_options_header
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from leaflet.builder.manifest import manifest_digest
from leaflet.builder.pipeline import Plan, plan_build
from leaflet.builder.pool import RenderPool
from leaflet.counter.fields import (
    FORM_FIELDS,
    history_filter,
    personal_options,
    reprint_fields,
    stock_options,
)
from leaflet.counter.form import NO_DIRECTIONS, check_page_form, form_view
from leaflet.counter.guards import (
    CSRF_COOKIE,
    AccessLog,
    AllowedHosts,
    BasicAuth,
    BodyLimit,
    FinishOrRefuse,
    RateLimit,
    SecurityHeaders,
    check_form,
    check_not_cross_site,
    new_token,
)
from leaflet.counter.history import History, Print, catalog_digest, database_url, print_of, revision_of
from leaflet.counter.jobs import PrintJobs
from leaflet.counter.offer import (
    DirectionsOffer,
    brands,
    directions_offer,
    find_medicine,
    language_choices,
    medicines,
)
from leaflet.counter.page_language import CounterPage
from leaflet.counter.problems import headers_of, plain_problem, problem_for, status_of
from leaflet.coverage import coverage, require_available
from leaflet.errors import HistoryError, LeafletError, NotReady, PrinterError, RenderError, UsageError, WorkerLost
from leaflet.languages import SOURCE_LANGUAGE, find_language, language
from leaflet.printer import JobState, find_printer
from leaflet.project import COUNTER_TEMPLATES, Project
from leaflet.proofs.picture import page_picture
from leaflet.render.context import directions_sentence
from leaflet.render.options import DEFAULT_OPTIONS, MEDIA, PAPER_SIZES, BuildOptions, printed_editions
from leaflet.source.content import read_leaflet
from leaflet.source.directions import TIMES, parse_schedule
from leaflet.source.pharmacy import read_pharmacy

log = logging.getLogger("leaflet.counter")
PDF = "application/pdf"
#: What the page's form asks ``POST /print`` for (``send``): the PDF (the default, for a program too),
#: a look at page 1, or the leaflet on the profile's printer.
SENDS = ("pdf", "look", "printer")
#: A form or JSON body is a few hundred bytes; 64 KiB leaves room and refuses the absurd.
DEFAULT_BODY_LIMIT = 64 * 1024
DEFAULT_RATE_LIMIT = 120
#: Seconds a client has to send a request's headers, then its body: a client that trickles
#: them would hold a connection for ever. A form or JSON body is one packet.
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0
#: Requests (and open connections) at once; more are refused with 503 at once.
CONCURRENCY = 100
#: Seconds the requests in flight have to finish after SIGTERM; within Docker's 10 s before SIGKILL.
SHUTDOWN_TIMEOUT = 8
#: A patient's leaflet asked for during the warm-up waits this long for a worker, then gets a 503:
#: long enough to cover the end of a warm-up, short enough that a pharmacist is told what is happening.
WARM_UP_WAIT = 10.0
#: Seconds a refused client is asked to wait (``Retry-After``); a warm-up takes 30 s or more.
RETRY_AFTER = 10
#: The history page shows this many prints, the newest (filters narrow them; the CLI exports them all).
HISTORY_ROWS = 200
#: What the sentence preview reads: the counts at times of day, or a code and its count.
DIRECTIONS_FIELDS = ("directions", "count", *TIMES)
STATIC = {"counter.css": "text/css; charset=utf-8", "counter.js": "text/javascript; charset=utf-8"}
T = TypeVar("T")


@dataclass
class Settings:
    """Everything ``leaflet serve`` passes on, with the defaults a bare ``create_app`` gets."""

    pharmacy: Path | None = None
    data_dir: Path | None = None  # the history's folder: <project>/data by default
    database: str | None = None  # the history in PostgreSQL (postgresql://...): several counters share it
    password: str | None = None
    workers: int = 0  # 0: render in this process (tests); the server starts one per core
    body_limit: int = DEFAULT_BODY_LIMIT
    rate_limit: int = DEFAULT_RATE_LIMIT  # costly requests (and wrong passwords) per client per minute; 0: none
    warm_up_wait: float = WARM_UP_WAIT  # seconds a leaflet waits for a warm worker before a 503
    allowed_hosts: tuple[str, ...] = ()  # Host names besides loopback's; `leaflet serve` adds its --host
    body_timeout: float = BODY_TIMEOUT  # seconds for a body to arrive after its headers
    # The server's (server.py), not the application's:
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For and -Proto are believed
    header_timeout: float = HEADER_TIMEOUT
    concurrency: int = CONCURRENCY  # 0: no limit
    shutdown_timeout: int = SHUTDOWN_TIMEOUT


def create_app(project: Project, settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    if settings.pharmacy is not None:
        read_pharmacy(settings.pharmacy, project.root)  # a bad profile stops the server, not each print
    counter = Counter(project, settings)
    middleware = [Middleware(AccessLog), Middleware(FinishOrRefuse, retry_after=RETRY_AFTER),
                  Middleware(SecurityHeaders), Middleware(AllowedHosts, names=settings.allowed_hosts),
                  Middleware(RateLimit, per_minute=settings.rate_limit),  # before the password: guesses count
                  Middleware(BasicAuth, password=settings.password),
                  Middleware(BodyLimit, limit=settings.body_limit, timeout=settings.body_timeout)]
    return Starlette(routes=counter.routes(), middleware=middleware, lifespan=counter.lifespan,
                     exception_handlers={404: _not_found, 405: _not_allowed})


@contextlib.contextmanager
def _stops_warm_up(pool: RenderPool) -> Iterator[None]:
    """Ctrl-C (or a SIGTERM) while the workers warm up stops them at once, then goes on to
    the server's own handler (uvicorn's, which shuts down): requests waiting for a worker are
    answered at once, and the shutdown does not wait out the warm-up."""
    if threading.current_thread() is not threading.main_thread():  # in tests: no signals here
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def stop(sig: int, frame: FrameType | None) -> None:
        pool.stop()
        handler = previous[signal.Signals(sig)]
        if callable(handler):
            handler(sig, frame)

    for sig in previous:
        signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


async def _not_found(request: Request, exc: Exception) -> Response:
    return plain_problem(404, f"nothing at {request.url.path[:200]}")


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return plain_problem(405, f"{request.method} is not allowed on {request.url.path[:200]}")


def _problems(route: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """A route's ``LeafletError`` as a problem detail; anything unexpected as a 500 whose log
    line has the traceback's frames but not the exception's text, which could quote a patient."""
    @functools.wraps(route)
    async def guarded(*args: Any) -> Response:
        try:
            return await route(*args)
        except LeafletError as exc:
            return problem_for(exc)
        except Exception as exc:  # noqa: BLE001 - the one place the counter catches everything
            log.error("internal error: %s\n%s", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
            return plain_problem(500, f"internal error ({type(exc).__name__}); the leaflet was not made")
    return guarded


class Counter:
    """The routes, and the few things they share: the project, the pool, the page's templates."""

    def __init__(self, project: Project, settings: Settings) -> None:
        self.project = project
        self.settings = settings
        self.pool = RenderPool(project, settings.workers)
        pharmacy = read_pharmacy(settings.pharmacy, project.root) if settings.pharmacy else None
        self.jobs = PrintJobs(find_printer(pharmacy.printer) if pharmacy and pharmacy.printer else None)
        #: Signs the leaflet a pharmacist looked at, so "Print" prints that one or asks to look again.
        self.seal = secrets.token_bytes(32)
        self.warming: asyncio.Task[None] | None = None
        self.watching: asyncio.Task[None] | None = None
        self.history = History(database_url(settings.data_dir or project.root / "data", settings.database))
        self.pages = CounterPage(project)  # in the staff's language (Accept-Language)

    def routes(self) -> list[Route]:
        return [
            Route("/", self.page, methods=["GET"]),
            Route("/", self.preview, methods=["POST"]),
            Route("/print", self.print_form, methods=["POST"]),
            Route("/sentence", self.sentence, methods=["POST"]),
            Route("/history", self.history_page, methods=["GET"]),
            Route("/leaflets", self.leaflets, methods=["GET"]),
            Route("/leaflets/{leaflet}/{lang}.pdf", self.stock_pdf, methods=["GET"]),
            Route("/leaflets/{leaflet}/{lang}.pdf", self.personal_pdf, methods=["POST"]),
            Route("/leaflets/{leaflet}/{lang}.png", self.page_one, methods=["POST"]),
            Route("/print-jobs", self.print_job, methods=["POST"]),
            Route("/print-jobs/{job}", self.print_job_state, methods=["GET"]),
            *(Route(f"/leaflets/{{leaflet}}/{{lang}}.{kind.suffix}", self.stock_edition, methods=["GET"],
                    name=kind.medium) for kind in MEDIA.values() if not kind.printed),
            Route("/static/{name}", self.static, methods=["GET"]),
            Route("/healthz", self.health, methods=["GET"]),
        ]

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """The server answers as soon as it listens; the workers warm up meanwhile."""
        if self.settings.workers > 0:
            log.info("starting %d render workers in the background: each makes a sample leaflet in every "
                     "language first; the page and stock leaflets are served meanwhile", self.settings.workers)
        if self.jobs.printer is not None:
            log.info("Print sends leaflets to printer %s (CUPS at %s)", self.jobs.printer.name,
                     self.jobs.printer.server)
        self.warming = asyncio.create_task(self._warm())
        try:
            yield
        finally:
            self.pool.stop()
            if self.watching is not None:
                self.watching.cancel()
            await self.warming
            await self.jobs.close()
            await run_in_threadpool(self.pool.close)
            await run_in_threadpool(self.history.close)

    async def _warm(self) -> None:
        """Spawn the workers here, in the event loop's thread (the main one, the only one that may
        ignore Ctrl-C while they start), and wait for the first warm one in another."""
        with _stops_warm_up(self.pool):
            try:
                self.pool.spawn()
                self.watching = asyncio.create_task(self._replace_dead_workers())
                await run_in_threadpool(self.pool.wait_warm)
            except (LeafletError, OSError) as exc:
                log.error("the render workers did not start: %s", exc)
                return
        log.info("stopping before the render workers were ready" if self.pool.stopped
                 else "the counter is ready to print")

    async def _replace_dead_workers(self) -> None:
        """A worker killed (or out of memory) is replaced at once, not at the next request; one that
        dies while warming up is not (it would again): ``/healthz`` then says the pool is failing."""
        while await self.pool.watch():
            log.warning("a render worker stopped (killed, or out of memory); new ones are warming up")
            if await self.pool.warmed(None) == "ready":
                log.info("the new render workers are ready")

    async def _in_pool(self, work: Callable[[RenderPool], Awaitable[T]]) -> T:
        """``work`` done by a warm worker. If its worker dies meanwhile, the pool has new workers
        at once and they are asked, once: they warm up first, so past ``warm_up_wait`` it is 503."""
        try:
            return await work(await self._warm_pool())
        except WorkerLost:
            log.warning("a render worker stopped while making a leaflet; asking the new workers")
        try:
            return await work(await self._warm_pool())
        except (WorkerLost, NotReady):
            raise NotReady("a render worker stopped while making this leaflet; new ones are warming up",
                           retry_after=RETRY_AFTER) from None

    async def _warm_pool(self) -> RenderPool:
        """The pool, once a worker is warm; refused with 503 if none is within ``warm_up_wait``."""
        state = await self.pool.warmed(self.settings.warm_up_wait)
        if state == "warming":
            raise NotReady("the render workers are still warming up (the counter has just started)",
                           retry_after=RETRY_AFTER)
        if state == "stopped":
            raise NotReady("the counter is stopping", retry_after=RETRY_AFTER)
        if state == "failed":
            raise RenderError("the render workers did not start", hint="see the counter's log, then start it again")
        return self.pool

    # -- the API ---------------------------------------------------------------------------

    @_problems
    async def leaflets(self, request: Request) -> Response:
        listing = await run_in_threadpool(self._listing)
        return JSONResponse(listing)

    @_problems
    async def stock_pdf(self, request: Request) -> Response:
        """An up-to-date stock PDF is read here, needing no worker (so none during the warm-up);
        only one whose inputs changed is rebuilt by the pool."""
        options = stock_options(request.query_params, self.settings.pharmacy)
        plan = await run_in_threadpool(self._plan, request.path_params["leaflet"], request.path_params["lang"],
                                       options)
        path = plan.out
        if not await run_in_threadpool(plan.up_to_date):
            path = await self._in_pool(lambda pool: pool.build_stock(plan))
        etag = f'"{(await run_in_threadpool(manifest_digest, path))[:32]}"'
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": etag})  # the client has it: not a print
        data = await run_in_threadpool(path.read_bytes)
        if _is_a_print(request):  # HEAD asks what a print would be, and is none
            await self._record(plan, data)
        return Response(data, media_type=PDF, headers={"ETag": etag, "Cache-Control": "no-cache",
                                                       "Content-Disposition": _inline(plan)})

    @_problems
    async def stock_edition(self, request: Request) -> Response:
        """The audio, braille, HTML and ePI editions: stock only (nothing typed for a patient is
        ever made or kept here), built by a worker the first time and after any input changed."""
        kind = next(k for k in MEDIA.values() if not k.printed and request.url.path.endswith("." + k.suffix))
        if request.query_params:
            raise UsageError(f"the {kind.medium} edition takes no options", hint="leave out the ?query")
        options = kind.options(replace(DEFAULT_OPTIONS, pharmacy=self.settings.pharmacy))
        plan = await run_in_threadpool(self._plan, request.path_params["leaflet"], request.path_params["lang"],
                                       options)
        require_available(kind.medium, plan.lang)
        path = plan.out
        if not await run_in_threadpool(plan.up_to_date):
            path = await self._in_pool(lambda pool: pool.build_stock(plan))
        etag = f'"{(await run_in_threadpool(manifest_digest, path))[:32]}"'
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": etag})
        data = await run_in_threadpool(path.read_bytes)
        media_type, headers = EDITION_MEDIA_TYPES[kind.medium]
        name = f"{plan.leaflet}-{plan.lang}.{kind.suffix}"
        return Response(data, media_type=media_type, headers={
            "ETag": etag, "Cache-Control": "no-cache", **headers,
            "Content-Disposition": f'{"inline" if kind.medium in ("html", "audio") else "attachment"}; '
                                   f'filename="{name}"'})

    @_problems
    async def personal_pdf(self, request: Request) -> Response:
        return await self._personal(await self._personal_plan(request))

    @_problems
    async def page_one(self, request: Request) -> Response:
        """Page 1 of a patient's leaflet as a PNG, made in memory: what the page shows before printing."""
        plan = await self._personal_plan(request)
        picture = await run_in_threadpool(page_picture, await self._render(plan))
        return Response(picture, media_type="image/png", headers={"Cache-Control": "no-store"})

    @_problems
    async def print_job(self, request: Request) -> Response:
        """A patient's leaflet (fields as for the PDF, with ``leaflet`` and ``lang``) on the profile's printer."""
        check_not_cross_site(request)
        self.jobs.require_printer()
        fields = await _fields(request)
        plan = await run_in_threadpool(self._form_plan, fields, ("leaflet", "lang"))
        job = await self._print(plan, await self._render(plan))
        return JSONResponse(job.as_json(), status_code=202,
                            headers={"Location": f"/print-jobs/{job.job}", "Cache-Control": "no-store"})

    @_problems
    async def print_job_state(self, request: Request) -> Response:
        """JSON for the page's script and programs; a small page for a browser without JavaScript."""
        job = self.jobs.state(request.path_params["job"])  # a number, or 404
        if "text/html" in request.headers.get("accept", "").split(",")[0]:
            html = await run_in_threadpool(self.pages.env.get_template("job.html").render, job=job.as_json())
            return HTMLResponse(html, headers={"Cache-Control": "no-store"})
        return JSONResponse(job.as_json(), headers={"Cache-Control": "no-store"})

    @_problems
    async def sentence(self, request: Request) -> Response:
        """The directions in the patient's language and in English, for the page's script."""
        check_not_cross_site(request)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise UsageError("send the fields as JSON (Content-Type: application/json)")
        fields = await _fields(request)
        return JSONResponse(await run_in_threadpool(self._sentences, fields), headers={"Cache-Control": "no-store"})

    # -- the page --------------------------------------------------------------------------

    @_problems
    async def page(self, request: Request) -> Response:
        """The form, empty, or filled from a link of the print history (never with a name)."""
        return await self._page(request, reprint_fields(request.query_params), None)

    @_problems
    async def history_page(self, request: Request) -> Response:
        """The last prints, newest first, filtered; each stock one can be printed again, a
        patient's one made again from the form, filled with all but what was typed."""
        context = await run_in_threadpool(self._history_context, request.query_params)
        html = await run_in_threadpool(self.pages.env.get_template("history.html").render, context)
        return HTMLResponse(html, status_code=context["status"], headers={"Cache-Control": "no-store"})

    @_problems
    async def preview(self, request: Request) -> Response:
        """The form sent back without JavaScript to see the directions before printing."""
        try:
            form = await _fields(request)
            check_form(request, form)
        except LeafletError as exc:
            return await self._page(request, {}, exc)
        return await self._page(request, form, None, preview=True)

    @_problems
    async def print_form(self, request: Request) -> Response:
        """The form's buttons: ``send=pdf`` (or none) the PDF; ``look`` the page again with a picture of
        page 1; ``printer`` the leaflet looked at, to the profile's printer, and the page with the job."""
        form: dict[str, Any] = {}
        shown: dict[str, Any] = {}
        try:
            form = await _fields(request)
            check_form(request, form)
            fields = await run_in_threadpool(check_page_form, self.project, form, self.settings.pharmacy)
            send = str(form.get("send") or "pdf")
            if send not in SENDS:
                raise UsageError(f"unknown send '{send[:20]}'", hint="send=" + ", ".join(SENDS))
            if send == "printer":
                self.jobs.require_printer()
            chosen: dict[str, Any] = {**fields, **{k: form[k] for k in ("send", "seen") if k in form}}
            plan = await run_in_threadpool(self._form_plan, chosen, FORM_FIELDS)
            if send == "pdf":
                return await self._personal(plan)
            data = await self._render(plan)
            shown["look"] = await self._look(plan, data)
            if send == "printer":
                if not hmac.compare_digest(str(form.get("seen", "")), shown["look"]["seen"]):
                    raise UsageError("this leaflet is not the one shown on page 1",
                                     hint="the form changed since: check page 1 again, then press Print")
                shown["job"] = (await self._print(plan, data)).as_json()
            return await self._page(request, form, None, preview=True, shown=shown)
        except LeafletError as exc:
            return await self._page(request, form, exc, preview=bool(shown), shown=shown)

    async def _page(self, request: Request, form: dict[str, Any], error: LeafletError | None,
                    preview: bool = False, shown: dict[str, Any] | None = None) -> Response:
        token = request.cookies.get(CSRF_COOKIE) or new_token()
        lang = await run_in_threadpool(self.pages.language_for, request.headers.get("accept-language", ""))
        html = await run_in_threadpool(self._page_html, form, error, preview, token, lang, shown or {})
        status, headers = (status_of(error)[0], headers_of(error)) if error else (200, {})
        response = HTMLResponse(html, status_code=status,
                                headers={"Cache-Control": "no-store", "Vary": "Accept-Language", **headers})
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    @_problems
    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return plain_problem(404, f"nothing at {request.url.path[:200]}")
        return FileResponse(self.project.templates_dir / COUNTER_TEMPLATES / name, media_type=STATIC[name])

    @_problems
    async def health(self, request: Request) -> Response:
        """200 while the workers warm up, so a load balancer keeps a counter that serves its page
        and stock leaflets (``workers`` says whether it prints yet); 503 if they failed to start
        or the counter is stopping. Answered to anyone (no password): it says nothing else."""
        workers = self.pool.state  # idle: not started yet (an application run without its lifespan)
        headers = {"Cache-Control": "no-store"}
        if workers in ("failed", "stopped"):
            return JSONResponse({"status": "failing", "workers": workers}, status_code=503, headers=headers)
        return JSONResponse({"status": "ok", "workers": workers}, headers=headers)

    # -- shared steps ------------------------------------------------------------------------

    def _plan(self, leaflet: str, lang: str, options: BuildOptions) -> Plan:
        code = find_language(lang, self.project.languages())
        return plan_build(leaflet, code, self.project, options)

    async def _personal_plan(self, request: Request) -> Plan:
        """``/leaflets/{leaflet}/{lang}.pdf`` or ``.png`` with a patient's fields, from a program or a page."""
        check_not_cross_site(request)
        options = personal_options(await _fields(request), self.settings.pharmacy)
        return await run_in_threadpool(self._plan, request.path_params["leaflet"], request.path_params["lang"],
                                       options)

    def _form_plan(self, fields: dict[str, Any], allowed: tuple[str, ...]) -> Plan:
        """A patient's leaflet named by fields: the medicine as typed (or its id), the language, the options."""
        leaflet = find_medicine(self.project, str(fields.get("leaflet", "")))
        options = personal_options(fields, self.settings.pharmacy, allowed)
        return self._plan(leaflet, str(fields.get("lang", "")), options)

    async def _render(self, plan: Plan) -> bytes:
        return await self._in_pool(lambda pool: pool.render(plan))

    async def _personal(self, plan: Plan) -> Response:
        data = await self._render(plan)
        await self._record(plan, data)
        return Response(data, media_type=PDF,
                        headers={"Cache-Control": "no-store", "Content-Disposition": _inline(plan)})

    async def _look(self, plan: Plan, data: bytes) -> dict[str, str]:
        """Page 1 as a data: URL (never a file, never a second request), and the seal of this very PDF."""
        picture = await run_in_threadpool(page_picture, data)
        info = language(plan.lang)
        title = await run_in_threadpool(lambda: read_leaflet(self.project.content_file(plan.leaflet)).title.text)
        return {"src": "data:image/png;base64," + base64.b64encode(picture).decode("ascii"),
                "alt": f"Page 1 of {title} in {info.english_name} ({info.own_name}), as it will print",
                "seen": hmac.new(self.seal, data, hashlib.sha256).hexdigest()}

    async def _print(self, plan: Plan, data: bytes) -> JobState:
        edition = plan.options.edition(plan.lang)
        job = await self.jobs.send(data, title=f"{plan.leaflet}-{plan.lang}{'.' + edition if edition else ''}",
                                   paper=plan.options.paper or "a4")
        await self._record(plan, data)
        return job

    async def _record(self, plan: Plan, data: bytes) -> None:
        await run_in_threadpool(lambda: self.history.record(print_of(self.project, plan, data)))

    def _listing(self) -> dict[str, Any]:
        leaflets, codes = [], set()
        for name in self.project.leaflets():
            content = read_leaflet(self.project.content_file(name))
            languages = [{**choice.as_json(), "pdf": f"/leaflets/{name}/{choice.code}.pdf",
                          "editions": _other_editions(name, choice.code)}
                         for choice in language_choices(self.project, name)]
            offer = directions_offer(self.project, name)
            codes.update(offer.codes)
            leaflets.append({"id": name, "title": content.title.text, "brands": list(content.brands),
                             "revised": content.revised.isoformat(), "form": content.form, **offer.as_json(),
                             "languages": languages})
        return {"leaflets": leaflets, "editions": list(printed_editions()), "papers": sorted(PAPER_SIZES),
                "directions": sorted(codes)}

    def _sentences(self, fields: dict[str, Any]) -> dict[str, Any]:
        """``leaflet`` names the medicine, whose dose form the directions count (default: the first)."""
        leaflet = find_medicine(self.project, str(fields.get("leaflet") or self.project.leaflets()[0]))
        code = find_language(str(fields.get("lang", "")), self.project.languages())
        options = personal_options({k: v for k, v in fields.items() if k in DIRECTIONS_FIELDS}, None)
        if not options.directions:
            raise UsageError("--directions needs a code", hint="the counts at times of day: morning=1,bedtime=1")
        return {"lang": code, "dir": language(code).direction,
                "html": str(directions_sentence(self.project, leaflet, code, options)),
                "english": str(directions_sentence(self.project, leaflet, SOURCE_LANGUAGE, options))}

    def _page_html(self, form: dict[str, Any], error: LeafletError | None, preview: bool, token: str,
                   lang: str, shown: dict[str, Any]) -> str:
        return self.pages.render("page.html", lang, {
            **self._page_context(form, error, preview), "csrf": token, "printer": self.jobs.printer,
            "look": shown.get("look"), "job": shown.get("job"),
            "error_title": "The leaflet was not printed" if isinstance(error, PrinterError) else ""})

    def _page_context(self, form: dict[str, Any], error: LeafletError | None, preview: bool) -> dict[str, Any]:
        leaflets = medicines(self.project)
        typed = str(form.get("leaflet") or next(iter(leaflets), ""))
        chosen = ""
        with contextlib.suppress(LeafletError):  # what was typed stays in the field, with the page's error
            chosen = find_medicine(self.project, typed, leaflets)
        choices = language_choices(self.project, chosen if chosen in leaflets else next(iter(leaflets), ""))
        pharmacy = read_pharmacy(self.settings.pharmacy, self.project.root) if self.settings.pharmacy else None
        offer = directions_offer(self.project, chosen) if chosen in leaflets else DirectionsOffer()
        values = {"leaflet": chosen, "lang": "", "patient": "", "directions": "", "count": "1",
                  **{time: "" for time in TIMES},
                  "date": dt.date.today().isoformat(), "free_directions": "", "edition": "standard",
                  "paper": pharmacy.paper if pharmacy and pharmacy.paper else "a4",
                  **{k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf"}}
        return {"leaflets": leaflets, "brands": {name: brands(self.project, name) for name in leaflets},
                "choices": choices, "offer": offer, "times": TIMES, "values": values,
                "error": error, "sentences": self._preview(values) if preview else None,
                **form_view(self.project, values, choices, error),
                "pharmacy": pharmacy, "editions": printed_editions(), "unit": offer.unit}

    def _history_context(self, fields: Any) -> dict[str, Any]:
        leaflets = medicines(self.project)
        languages = self.project.languages()
        query, problems = history_filter(fields, list(leaflets), languages, HISTORY_ROWS)
        entries, status = [], 422 if problems else 200
        try:
            entries = [] if problems else self.history.prints(query)[::-1]
        except HistoryError as exc:  # the page says so, with its filters, rather than a bare problem
            problems, status = [str(exc)], 503
        current: dict[tuple[str, str, str], tuple[str, str] | None] = {}
        rows = [self._history_row(entry, leaflets, languages, current) for entry in entries]
        pharmacy = read_pharmacy(self.settings.pharmacy, self.project.root) if self.settings.pharmacy else None
        return {"rows": rows, "problems": problems, "status": status, "leaflets": leaflets, "pharmacy": pharmacy,
                "languages": [language(code) for code in languages], "limit": HISTORY_ROWS,
                "values": {name: str(fields.get(name, "")) for name in ("leaflet", "lang", "since", "until")}}

    def _history_row(self, entry: Print, leaflets: dict[str, str], languages: list[str],
                     current: dict[tuple[str, str, str], tuple[str, str] | None]) -> dict[str, Any]:
        """One print as the page shows it, with the link that makes it again (if it still can be made)
        and whether the leaflet changed since (the link makes today's version)."""
        printable = entry.leaflet in leaflets and entry.lang in languages and entry.edition in printed_editions()
        key = (entry.leaflet, entry.lang, entry.edition)
        if printable and key not in current:
            try:
                current[key] = (revision_of(self.project, entry.leaflet),
                                catalog_digest(self.project, entry.leaflet, entry.lang, entry.edition == "bilingual"))
            except LeafletError:
                current[key] = None
        now = current.get(key)
        again = {"edition": entry.edition, "paper": entry.paper}
        doses = _doses(entry)
        if entry.personalised:
            again = {"leaflet": entry.leaflet, "lang": entry.lang, **again, **_dose_fields(doses)}
        link = (f"/?{urllib.parse.urlencode(again)}" if entry.personalised
                else f"/leaflets/{entry.leaflet}/{entry.lang}.pdf?{urllib.parse.urlencode(again)}")
        return {"entry": entry, "when": entry.time[:16].replace("T", " ") + " UTC",
                "doses": ", ".join(f"{code} × {count}" for code, count in doses),
                "title": leaflets.get(entry.leaflet, entry.leaflet),
                "language": language(entry.lang) if entry.lang in languages else None,
                "link": link if printable and now else None,
                "changed": bool(now) and now != (entry.revision, entry.catalog_digest)}

    def _preview(self, values: dict[str, str]) -> dict[str, Any]:
        if not any(values.get(name) for name in ("directions", *TIMES)):
            return {"error": NO_DIRECTIONS}
        try:
            return self._sentences(values)
        except LeafletError as exc:
            return {"error": str(exc)}


async def _fields(request: Request) -> dict[str, Any]:
    """A JSON object or form fields, whichever the request sends. A body that is malformed or cut
    short is refused: a leaflet is never made from part of what was sent."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            fields = json.loads(await request.body() or b"{}")
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested thousands deep
            raise UsageError("the body is not valid JSON") from None
        if not isinstance(fields, dict):
            raise UsageError("the body must be a JSON object of fields")
        return fields
    if kind in ("application/x-www-form-urlencoded", ""):
        return await _form(request)
    if kind == "multipart/form-data":
        return await _multipart(request)
    raise UsageError(f"cannot read a body of type '{kind[:60]}'", hint="send form fields or JSON")


def _doses(entry: Print) -> tuple[tuple[str, int], ...]:
    """The standard directions a print was made with, as (code, count): a time of day and its count
    (``morning=1,bedtime=2``), or an old code and the count it was given with (``bedtime`` × 2)."""
    if not entry.directions:
        return ()
    try:
        return parse_schedule(entry.directions, entry.count or 1)
    except LeafletError:  # a row written by a newer counter, or by hand: shown as it is, not made again
        return ((entry.directions, entry.count or 1),)


def _dose_fields(doses: tuple[tuple[str, int], ...]) -> dict[str, str]:
    """The page's fields that make the same directions again: a count per time of day; an old
    code that is a time of day (``bedtime`` × 2) is that time's count, as the build reads it."""
    if len(doses) == 1 and doses[0][0] not in TIMES:
        return {"directions": doses[0][0], "count": str(doses[0][1])}
    return {code: str(count) for code, count in doses if code in TIMES}


async def _multipart(request: Request) -> dict[str, Any]:
    """Multipart form fields (``curl -F``): text only, and the whole body, to its closing boundary
    (the parser would hand on the parts before a cut, without the one cut short)."""
    boundary = parse_options_header(request.headers["content-type"])[1].get(b"boundary")
    if not boundary:
        raise UsageError("the multipart body has no boundary",
                         hint="send Content-Type: multipart/form-data; boundary=..., as curl -F does")
    if b"--" + boundary + b"--" not in await request.body():
        raise UsageError("the multipart body is cut short (it has no closing boundary)", hint="send it again")
    try:
        async with request.form(max_fields=100) as form:
            files = [key for key, value in form.multi_items() if isinstance(value, UploadFile)]
            if files:
                raise UsageError(f"the field '{files[0][:40]}' is a file", hint="send every field as text")
            return {key: value for key, value in form.items() if isinstance(value, str)}
    except (HTTPException, MultiPartException):
        raise UsageError("the multipart body is not valid multipart/form-data") from None


async def _form(request: Request) -> dict[str, Any]:
    """Form fields as UTF-8, percent-encoded (browsers) or not (``curl -d patient=Zoë``),
    which Starlette would read as Latin-1."""
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("the form is not UTF-8 text") from None
    try:
        return dict(urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=False,
                                           encoding="utf-8", errors="strict", max_num_fields=100))
    except (ValueError, UnicodeDecodeError):
        raise UsageError("the form is not valid URL-encoded UTF-8") from None


#: What each edition that is not printed is served as. The HTML page may not load anything:
#: it is self-contained, and a translation cannot make it fetch or run what it names.
EDITION_MEDIA_TYPES: dict[str, tuple[str, dict[str, str]]] = {
    "audio": ("audio/mpeg", {}),
    "braille": ("application/x-brf", {}),
    "html": ("text/html; charset=utf-8",
             {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:"}),
    "epi": ("application/fhir+json", {}),
}


def _other_editions(leaflet: str, lang: str) -> dict[str, dict[str, str]]:
    """Each edition that is not printed: its address, or why this language has none."""
    found = {}
    for kind in MEDIA.values():
        if kind.printed:
            continue
        reason = coverage(lang).unavailable(kind.medium)
        found[kind.name] = {"unavailable": reason} if reason else {"url": f"/leaflets/{leaflet}/{lang}.{kind.suffix}"}
    return found


def _is_a_print(request: Request) -> bool:
    """A GET that will show the PDF: not a HEAD, nor a browser's prefetch of a link."""
    purpose = (request.headers.get("sec-purpose") or request.headers.get("purpose") or "").lower()
    return request.method == "GET" and "prefetch" not in purpose


def _inline(plan: Plan) -> str:
    """Opens in the browser's viewer; the file name says the leaflet, never the patient."""
    edition = plan.options.edition(plan.lang)
    return f'inline; filename="{plan.leaflet}-{plan.lang}{"." + edition if edition else ""}.pdf"'


__all__ = ["create_app", "Settings"]
