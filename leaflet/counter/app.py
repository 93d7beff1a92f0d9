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

The render workers warm up in the background (half a minute or more): the
page, the listing, ``/healthz`` and up-to-date stock PDFs are served at once,
from this process, and a request that needs a worker waits for the first one
to be warm for up to ``Settings.warm_up_wait`` seconds, then is refused with
503 and ``Retry-After`` (``NotReady``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import json
import logging
import signal
import threading
import traceback
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from leaflet.builder.manifest import manifest_digest
from leaflet.builder.pipeline import Plan, plan_build
from leaflet.builder.pool import RenderPool
from leaflet.counter.fields import (
    FORM_FIELDS,
    personal_options,
    stock_options,
)
from leaflet.counter.guards import (
    CSRF_COOKIE,
    AccessLog,
    BasicAuth,
    BodyLimit,
    RateLimit,
    SecurityHeaders,
    check_form,
    check_not_cross_site,
    new_token,
)
from leaflet.counter.history import history_file, print_of, record_print
from leaflet.counter.offer import DirectionsOffer, directions_offer, find_medicine, language_choices, medicines
from leaflet.counter.problems import headers_of, plain_problem, problem_for, status_of
from leaflet.coverage import coverage, require_available
from leaflet.errors import LeafletError, NotReady, RenderError, UsageError
from leaflet.languages import SOURCE_LANGUAGE, find_language, language
from leaflet.project import COUNTER_TEMPLATES, Project
from leaflet.render.context import directions_sentence
from leaflet.render.options import DEFAULT_OPTIONS, MEDIA, PAPER_SIZES, BuildOptions, printed_editions
from leaflet.source.content import read_leaflet
from leaflet.source.directions import TIMES
from leaflet.source.pharmacy import read_pharmacy

log = logging.getLogger("leaflet.counter")
PDF = "application/pdf"
#: A form or JSON body is a few hundred bytes; 64 KiB leaves room and refuses the absurd.
DEFAULT_BODY_LIMIT = 64 * 1024
DEFAULT_RATE_LIMIT = 120
#: A patient's leaflet asked for during the warm-up waits this long for a worker, then gets a 503:
#: long enough to cover the end of a warm-up, short enough that a pharmacist is told what is happening.
WARM_UP_WAIT = 10.0
#: Seconds a refused client is asked to wait (``Retry-After``); a warm-up takes 30 s or more.
RETRY_AFTER = 10
#: What the sentence preview reads: the counts at times of day, or a code and its count.
DIRECTIONS_FIELDS = ("directions", "count", *TIMES)
STATIC = {"counter.css": "text/css; charset=utf-8", "counter.js": "text/javascript; charset=utf-8"}


@dataclass
class Settings:
    """Everything ``leaflet serve`` passes on, with the defaults a bare ``create_app`` gets."""

    pharmacy: Path | None = None
    data_dir: Path | None = None  # the history's folder: <project>/data by default
    password: str | None = None
    workers: int = 0  # 0: render in this process (tests); the server starts one per core
    body_limit: int = DEFAULT_BODY_LIMIT
    rate_limit: int = DEFAULT_RATE_LIMIT  # costly requests per client per minute; 0: none
    warm_up_wait: float = WARM_UP_WAIT  # seconds a leaflet waits for a warm worker before a 503


def create_app(project: Project, settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    if settings.pharmacy is not None:
        read_pharmacy(settings.pharmacy, project.root)  # a bad profile stops the server, not each print
    counter = Counter(project, settings)
    middleware = [Middleware(AccessLog), Middleware(SecurityHeaders),
                  Middleware(BasicAuth, password=settings.password),
                  Middleware(RateLimit, per_minute=settings.rate_limit),
                  Middleware(BodyLimit, limit=settings.body_limit)]
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
        self.warming: asyncio.Task[None] | None = None
        self.history = history_file(settings.data_dir or project.root / "data")
        self.pages = jinja2.Environment(loader=jinja2.FileSystemLoader(project.templates_dir / COUNTER_TEMPLATES),
                                        autoescape=True, undefined=jinja2.StrictUndefined, auto_reload=False)

    def routes(self) -> list[Route]:
        return [
            Route("/", self.page, methods=["GET"]),
            Route("/", self.preview, methods=["POST"]),
            Route("/print", self.print_form, methods=["POST"]),
            Route("/sentence", self.sentence, methods=["POST"]),
            Route("/leaflets", self.leaflets, methods=["GET"]),
            Route("/leaflets/{leaflet}/{lang}.pdf", self.stock_pdf, methods=["GET"]),
            Route("/leaflets/{leaflet}/{lang}.pdf", self.personal_pdf, methods=["POST"]),
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
        self.warming = asyncio.create_task(self._warm())
        try:
            yield
        finally:
            self.pool.stop()
            await self.warming
            await run_in_threadpool(self.pool.close)

    async def _warm(self) -> None:
        """Spawn the workers here, in the event loop's thread (the main one, the only one that may
        ignore Ctrl-C while they start), and wait for the first warm one in another."""
        with _stops_warm_up(self.pool):
            try:
                self.pool.spawn()
                await run_in_threadpool(self.pool.wait_warm)
            except (LeafletError, OSError) as exc:
                log.error("the render workers did not start: %s", exc)
                return
        log.info("stopping before the render workers were ready" if self.pool.stopped
                 else "the counter is ready to print")

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
            pool = await self._warm_pool()
            path = await pool.build_stock(plan)
        etag = f'"{(await run_in_threadpool(manifest_digest, path))[:32]}"'
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": etag})
        data = await run_in_threadpool(path.read_bytes)
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
            pool = await self._warm_pool()
            path = await pool.build_stock(plan)
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
        check_not_cross_site(request)
        fields = await _fields(request)
        options = personal_options(fields, self.settings.pharmacy)
        return await self._personal(request.path_params["leaflet"], request.path_params["lang"], options)

    @_problems
    async def sentence(self, request: Request) -> Response:
        """The directions in the patient's language and in English, for the page's script."""
        check_not_cross_site(request)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise UsageError("send the fields as JSON (Content-Type: application/json)")
        fields = await _fields(request)
        return JSONResponse(await run_in_threadpool(self._sentences, fields))

    # -- the page --------------------------------------------------------------------------

    @_problems
    async def page(self, request: Request) -> Response:
        return await self._page(request, {}, None)

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
        form: dict[str, Any] = {}
        try:
            form = await _fields(request)
            check_form(request, form)
            lang = str(form.get("lang", ""))
            leaflet = await run_in_threadpool(find_medicine, self.project, str(form.get("leaflet", "")))
            options = personal_options(form, self.settings.pharmacy, FORM_FIELDS)
            return await self._personal(leaflet, lang, options)
        except LeafletError as exc:
            return await self._page(request, form, exc)

    async def _page(self, request: Request, form: dict[str, Any], error: LeafletError | None,
                    preview: bool = False) -> Response:
        token = request.cookies.get(CSRF_COOKIE) or new_token()
        html = await run_in_threadpool(self._page_html, form, error, preview, token)
        status, headers = (status_of(error)[0], headers_of(error)) if error else (200, {})
        response = HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store", **headers})
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
        and stock leaflets (``workers`` says whether it prints yet); 503 if they failed to start."""
        workers = self.pool.state  # idle: not started yet (an application run without its lifespan)
        if workers == "failed":
            return JSONResponse({"status": "failing", "workers": workers}, status_code=503)
        return JSONResponse({"status": "ok", "workers": workers})

    # -- shared steps ------------------------------------------------------------------------

    def _plan(self, leaflet: str, lang: str, options: BuildOptions) -> Plan:
        code = find_language(lang, self.project.languages())
        return plan_build(leaflet, code, self.project, options)

    async def _personal(self, leaflet: str, lang: str, options: BuildOptions) -> Response:
        plan = await run_in_threadpool(self._plan, leaflet, lang, options)
        pool = await self._warm_pool()
        data = await pool.render(plan)
        await self._record(plan, data)
        return Response(data, media_type=PDF,
                        headers={"Cache-Control": "no-store", "Content-Disposition": _inline(plan)})

    async def _record(self, plan: Plan, data: bytes) -> None:
        await run_in_threadpool(lambda: record_print(self.history, print_of(self.project, plan, data)))

    def _listing(self) -> dict[str, Any]:
        leaflets, codes = [], set()
        for name in self.project.leaflets():
            content = read_leaflet(self.project.content_file(name))
            languages = [{**choice.as_json(), "pdf": f"/leaflets/{name}/{choice.code}.pdf",
                          "editions": _other_editions(name, choice.code)}
                         for choice in language_choices(self.project, name)]
            offer = directions_offer(self.project, name)
            codes.update(offer.codes)
            leaflets.append({"id": name, "title": content.title.text, "revised": content.revised.isoformat(),
                             "form": content.form, **offer.as_json(), "languages": languages})
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

    def _page_html(self, form: dict[str, Any], error: LeafletError | None, preview: bool, token: str) -> str:
        return self.pages.get_template("page.html").render(self._page_context(form, error, preview), csrf=token)

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
        return {"leaflets": leaflets, "choices": choices, "offer": offer, "times": TIMES, "values": values,
                "error": str(error) if error else "", "sentences": self._preview(values) if preview else None,
                "pharmacy": pharmacy, "editions": printed_editions()}

    def _preview(self, values: dict[str, str]) -> dict[str, Any]:
        if not any(values.get(name) for name in ("directions", *TIMES)):
            return {"error": "Give the counts at times of day to see the sentence the patient will read."}
        try:
            return self._sentences(values)
        except LeafletError as exc:
            return {"error": str(exc)}


async def _fields(request: Request) -> dict[str, Any]:
    """A JSON object or form fields, whichever the request sends."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            fields = json.loads(await request.body() or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise UsageError("the body is not valid JSON") from None
        if not isinstance(fields, dict):
            raise UsageError("the body must be a JSON object of fields")
        return fields
    if kind in ("application/x-www-form-urlencoded", ""):
        return await _form(request)
    if kind == "multipart/form-data":
        form = await request.form()
        return {key: value for key, value in form.items() if isinstance(value, str)}
    raise UsageError(f"cannot read a body of type '{kind[:60]}'", hint="send form fields or JSON")


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


def _inline(plan: Plan) -> str:
    """Opens in the browser's viewer; the file name says the leaflet, never the patient."""
    edition = plan.options.edition(plan.lang)
    return f'inline; filename="{plan.leaflet}-{plan.lang}{"." + edition if edition else ""}.pdf"'


__all__ = ["create_app", "Settings"]
