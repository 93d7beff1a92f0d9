"""What stands between the network and the counter: ASGI middleware and the CSRF check.

Each guard refuses a request before any leaflet is built, with a problem
detail (RFC 9457): a Host the counter does not answer to (DNS rebinding), a
per-client rate limit on what costs a render and on wrong passwords (checked
before the password), a password (HTTP Basic) where the server is reachable
from other machines, a size limit and a deadline on bodies, and security
headers on every response. A request still unanswered when the server stops
gets a 503 problem. The access log writes method, path, status and time,
never a query string or a body: the patient's name, directions and date are
personal data; what it writes is escaped, so a path cannot forge a line.

The rate limit counts in memory, per process: it slows one runaway client
at one server and keeps no state that a second instance behind a load
balancer would need.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import hmac
import ipaddress
import logging
import re
import secrets
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leaflet.counter.problems import problem_for
from leaflet.errors import (
    ForgedRequest,
    MisdirectedRequest,
    NotReady,
    RequestRefused,
    RequestTimeout,
    RequestTooLarge,
    TooManyRequests,
    Unauthorised,
    UsageError,
)

PASSWORD_VARIABLE = "LEAFLET_PASSWORD"
HOSTS_VARIABLE = "LEAFLET_ALLOWED_HOSTS"
PROXIES_VARIABLE = "LEAFLET_TRUSTED_PROXIES"
#: The names this machine's browsers reach the counter by; every counter answers to them, on any port.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
#: Answered to anyone: a load balancer's health check has no password and may send any Host.
OPEN_PATHS = ("/healthz",)
#: Sent with a refusal that leaves the request (or its body) unread: the client starts afresh.
CLOSE = {"Connection": "close"}
CSRF_COOKIE = "leaflet_csrf"
CSRF_FIELD = "csrf"
#: No inline script or style; nothing from elsewhere; never framed.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
access_log = logging.getLogger("leaflet.access")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_password(host: str, password: str | None) -> None:
    """Only this machine may use a counter without a password."""
    if not is_loopback(host) and not password:
        raise UsageError(f"--host {host} lets other machines print leaflets, and {PASSWORD_VARIABLE} is not set",
                         hint=f"set {PASSWORD_VARIABLE} (HTTP Basic), or serve on 127.0.0.1")


def listed(*values: str | None) -> tuple[str, ...]:
    """Names or addresses given as options and in a variable, separated by commas or spaces."""
    return tuple(item for value in values if value for item in re.split(r"[\s,]+", value) if item)


def served_names(host: str, allowed: Iterable[str]) -> tuple[str, ...]:
    """The Host names a counter started on ``host`` answers to besides loopback's: that
    address (not a wildcard such as 0.0.0.0, which no browser asks for) and the ones allowed."""
    wildcard = host.strip("[]") in ("0.0.0.0", "::", "")
    return tuple(dict.fromkeys([*([] if wildcard else [host]), *allowed]))


def check_proxies(proxies: Iterable[str]) -> tuple[str, ...]:
    """Trusted proxies are addresses or networks (``10.0.0.0/8``), or ``*`` for any."""
    for proxy in proxies:
        try:
            if proxy != "*":
                ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise UsageError(f"--trusted-proxy {proxy[:60]} is not an address or a network",
                             hint="give the proxy's IP address, e.g. 127.0.0.1 or 10.0.0.0/8") from None
    return tuple(proxies)


def printable(text: str) -> str:
    """``text`` with every character that is not printable escaped as Python writes it (a line
    feed as ``\\n``, ESC as ``\\x1b``, U+2028 as ``\\u2028``), and the backslash too: a line of
    the log is one line, and says what was sent."""
    return "".join(c if c.isprintable() and c != "\\" else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def _header(scope: Scope, name: bytes) -> str | None:
    value = dict(scope["headers"]).get(name)
    return value.decode("latin-1") if value is not None else None


def _client(scope: Scope) -> str:
    """The address that connected, or the one a trusted proxy reported (uvicorn's ``proxy_headers``)."""
    return str((scope.get("client") or ("-", 0))[0])


def _open(scope: Scope) -> bool:
    return scope["path"] in OPEN_PATHS and scope["method"] in ("GET", "HEAD")


async def _refuse(scope: Scope, receive: Receive, send: Send, error: RequestRefused,
                  headers: dict[str, str] | None = None) -> None:
    await problem_for(error, headers)(scope, receive, send)


class SecurityHeaders:
    """nosniff, no referrer beyond this site (Chrome sends "Origin: null" with none at all), never
    framed; the CSP on everything a browser renders as a page (a PDF gets ``frame-ancestors``
    only: Chrome's PDF viewer is a page of its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                pdf = any(k == b"content-type" and v.startswith(b"application/pdf") for k, v in headers)
                policy = "frame-ancestors 'none'" if pdf else CONTENT_SECURITY_POLICY
                headers += [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                            (b"referrer-policy", b"same-origin"), (b"content-security-policy", policy.encode()),
                            (b"cross-origin-opener-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AccessLog:
    """One line per request: client, method, path, status, milliseconds. Never the query
    string, which a program could fill with a patient's name, and never a body. The path is
    decoded (``%0a`` is a line feed), so every field is written through ``printable``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            access_log.info("%s %s %s %d %.0f ms", printable(_client(scope)), printable(scope["method"]),
                            printable(scope["path"][:200]), status, (time.perf_counter() - started) * 1000)


class BasicAuth:
    """HTTP Basic with one password (``LEAFLET_PASSWORD``); any user name. ``/healthz`` needs none."""

    def __init__(self, app: ASGIApp, password: str | None) -> None:
        self.app = app
        self.password = password.encode() if password else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.password is None or _open(scope) or self._authorised(scope):
            return await self.app(scope, receive, send)
        await _refuse(scope, receive, send, Unauthorised("the counter needs its password (HTTP Basic)"),
                      {"WWW-Authenticate": 'Basic realm="leaflet counter", charset="UTF-8"'})

    def _authorised(self, scope: Scope) -> bool:
        header = dict(scope["headers"]).get(b"authorization", b"")
        scheme, _, encoded = header.partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            _, _, password = base64.b64decode(encoded.strip(), validate=True).partition(b":")
        except (binascii.Error, ValueError):
            return False
        return hmac.compare_digest(password, self.password or b"")


class BodyLimit:
    """Bodies over ``limit`` bytes are refused (413), and bodies that have not all arrived
    ``timeout`` seconds after the headers (408, closing the connection: a client that
    trickles a body would hold it for ever), before the application reads them."""

    def __init__(self, app: ASGIApp, limit: int, timeout: float) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = RequestTooLarge(f"the request is over {self.limit} bytes")
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _refuse(scope, receive, send, too_large, CLOSE)
        try:
            message = await asyncio.wait_for(self._read(receive), self.timeout)
        except TimeoutError:
            return await _refuse(scope, receive, send, RequestTimeout(
                f"the request's body did not arrive within {self.timeout:g} s"), CLOSE)
        if message is None:
            return await _refuse(scope, receive, send, too_large, CLOSE)
        await self.app(scope, _replay([message], receive if message["type"] == "http.request" else None), send)

    async def _read(self, receive: Receive) -> Message | None:
        """The whole body as one message (or the disconnect that came instead); None once it is over the limit."""
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return message
            body += message.get("body", b"")
            if len(body) > self.limit:
                return None
            if not message.get("more_body", False):
                return {"type": "http.request", "body": bytes(body), "more_body": False}


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}
    return receive


class Window:
    """When each client did one kind of thing in the last minute, and whether it may again."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.seen: dict[str, collections.deque[float]] = {}

    def wait(self, client: str, now: float) -> int:
        """Seconds until ``client`` may again; 0 if it may now."""
        times = self.seen.get(client)
        while times and now - times[0] > 60:
            times.popleft()
        return int(60 - (now - times[0])) + 1 if times and len(times) >= self.per_minute else 0

    def add(self, client: str, now: float) -> None:
        self.seen.setdefault(client, collections.deque()).append(now)
        if len(self.seen) > 10_000:  # forget idle clients
            self.seen = {k: v for k, v in self.seen.items() if v and now - v[-1] <= 60}


class RateLimit:
    """At most ``per_minute`` costly requests (a PDF, a form post) per client in any 60 s, and as
    many wrong passwords: a client over that is refused everything, before its password is
    checked, so a guess it makes then is not even tried. A client is an address: the one that
    connected, or the one a trusted proxy reports (``server.py``); never a header's word alone."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.per_minute = per_minute
        self.costly = Window(per_minute)
        self.wrong_passwords = Window(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.per_minute <= 0 or _open(scope):
            return await self.app(scope, receive, send)
        client, now, costly = _client(scope), time.monotonic(), _costly(scope)
        if wait := self.wrong_passwords.wait(client, now):
            return await _refuse(scope, receive, send, TooManyRequests(
                f"more than {self.per_minute} wrong passwords a minute from this client",
                hint=f"try again in {wait} s"), {"Retry-After": str(wait), **CLOSE})
        if costly and (wait := self.costly.wait(client, now)):
            return await _refuse(scope, receive, send, TooManyRequests(
                f"more than {self.per_minute} leaflets a minute from this client", hint=f"try again in {wait} s"),
                {"Retry-After": str(wait)})
        if costly:
            self.costly.add(client, now)

        async def count_refusals(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == Unauthorised.status:
                self.wrong_passwords.add(client, time.monotonic())
            await send(message)

        await self.app(scope, receive, count_refusals)


def _costly(scope: Scope) -> bool:
    return bool(scope["method"] == "POST" or scope["path"].endswith(".pdf"))


class AllowedHosts:
    """Only requests for the counter's own names (``Host``), on any port. A page elsewhere whose
    name is made to point at the counter's address (DNS rebinding) sends its own name, and is
    refused (421) before the password or anything else. A request without a Host (HTTP/1.0)
    comes from no browser and passes."""

    def __init__(self, app: ASGIApp, names: Iterable[str]) -> None:
        self.app = app
        self.names = frozenset(host_name(name) or name.lower() for name in (*LOOPBACK_NAMES, *names))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = _header(scope, b"host") if scope["type"] == "http" else None
        if host is None or _open(scope) or host_name(host) in self.names:
            return await self.app(scope, receive, send)
        shown = printable(host[:100])
        await _refuse(scope, receive, send, MisdirectedRequest(
            f"this counter does not answer to the host name '{shown}'",
            hint=f"if that is its name, start it with --allowed-host NAME or {HOSTS_VARIABLE}"), CLOSE)


_HOST = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]/@\s]+))(?::\d{0,5})?")


def host_name(host: str) -> str | None:
    """The name in a Host header (``[::1]:8000`` -> ``::1``), in lower case; None if it is not one."""
    found = _HOST.fullmatch(host.strip())
    if found is None:
        return None
    return (found["v6"] or found["name"]).lower()


class FinishOrRefuse:
    """A request the server gives up on as it stops (uvicorn cancels what is unanswered after
    ``timeout_graceful_shutdown``) gets 503 with ``Retry-After`` as a problem detail, not
    uvicorn's plain-text 500: a load balancer or program asks another counter, or again."""

    def __init__(self, app: ASGIApp, retry_after: int) -> None:
        self.app = app
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def note_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, note_start)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if started or task is None:
                raise  # half a response: uvicorn closes the connection
            task.uncancel()
            await _refuse(scope, receive, send, NotReady("the counter is stopping; the leaflet was not made",
                                                         retry_after=self.retry_after), CLOSE)


# -- CSRF ---------------------------------------------------------------------------------------

def new_token() -> str:
    return secrets.token_urlsafe(32)


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an origin or URL, the port filled in; None if it is not one."""
    try:
        parts = urllib.parse.urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    return (scheme, parts.hostname, port) if parts.hostname and port else None


def own_origin(request: Request) -> tuple[str, str, int] | None:
    """The origin the client reached: the connection's scheme (or a trusted proxy's word for it) and ``Host``."""
    return origin_of(f"{request.url.scheme}://{request.headers.get('host', '')}")


def cross_site(request: Request) -> bool:
    """A browser says where a request comes from (``Sec-Fetch-Site``, ``Origin``); a program
    such as curl or a pharmacy system says nothing and is not a browser being tricked. An
    origin is its scheme, host and port: ``http://counter`` is not ``https://counter``."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        own = own_origin(request)
        return own is None or origin_of(origin) != own
    return origin == "null"


def _cross_site_hint(request: Request, usual: str) -> str:
    """Behind a TLS proxy the counter is reached over http while the page is https: say so."""
    sent, own = origin_of(request.headers.get("origin") or ""), own_origin(request)
    if sent and own and sent[0] == "https" and own[0] == "http" and sent[1:] == (own[1], 443):
        return ("the page is https but the counter was reached over http: start it with --trusted-proxy "
                "and the proxy's address, so its X-Forwarded-Proto is believed")
    return usual


def check_form(request: Request, form: Mapping[str, Any]) -> None:
    """The counter's own form: same origin, and the token of the page it came from
    (a double-submit cookie: any instance can check it, none keeps it)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = form.get(CSRF_FIELD, "")
    if cross_site(request) or not cookie or not isinstance(sent, str) or not hmac.compare_digest(cookie, sent):
        raise ForgedRequest("this form did not come from the counter's page",
                            hint=_cross_site_hint(request, "reload the page and try again"))


def check_not_cross_site(request: Request) -> None:
    if cross_site(request):
        raise ForgedRequest("a request from another site",
                            hint=_cross_site_hint(request, "send it from the counter's page or a program"))

