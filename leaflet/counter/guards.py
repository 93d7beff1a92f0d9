"""What stands between the network and the counter: ASGI middleware and the CSRF check.

Each guard refuses a request before any leaflet is built, with a problem
detail (RFC 9457): a password (HTTP Basic) where the server is reachable
from other machines, a size limit on bodies, a per-client rate limit on
what costs a render, and security headers on every response. The access
log writes method, path, status and time, never a query string or a body:
the patient's name, directions and date are personal data.

The rate limit counts in memory, per process: it slows one runaway client
at one server and keeps no state that a second instance behind a load
balancer would need.
"""

from __future__ import annotations

import base64
import binascii
import collections
import hmac
import ipaddress
import logging
import secrets
import time
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leaflet.counter.problems import problem_for
from leaflet.errors import (
    ForgedRequest,
    RequestRefused,
    RequestTooLarge,
    TooManyRequests,
    Unauthorised,
    UsageError,
)

PASSWORD_VARIABLE = "LEAFLET_PASSWORD"
CSRF_COOKIE = "leaflet_csrf"
CSRF_FIELD = "csrf"
#: No inline script or style; nothing from elsewhere; never framed. Images may be data: URLs: the
#: picture of page 1 is one, so a patient's page never has an address of its own (nor a second request).
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
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
    string, which a program could fill with a patient's name, and never a body."""

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
            client = (scope.get("client") or ("-", 0))[0]
            access_log.info("%s %s %s %d %.0f ms", client, scope["method"], scope["path"][:200], status,
                            (time.perf_counter() - started) * 1000)


class BasicAuth:
    """HTTP Basic with one password (``LEAFLET_PASSWORD``); any user name."""

    def __init__(self, app: ASGIApp, password: str | None) -> None:
        self.app = app
        self.password = password.encode() if password else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.password is None or self._authorised(scope):
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
    """Bodies over ``limit`` bytes are refused (413) before the application reads them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = RequestTooLarge(f"the request is over {self.limit} bytes")
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _refuse(scope, receive, send, too_large)
        body, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, _replay([message]), send)
            body.append(message.get("body", b""))
            more = message.get("more_body", False)
            if sum(map(len, body)) > self.limit:
                return await _refuse(scope, receive, send, too_large)
        await self.app(scope, _replay([{"type": "http.request", "body": b"".join(body), "more_body": False}],
                                      receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}
    return receive


class RateLimit:
    """At most ``per_minute`` costly requests (a PDF, a form post) per client in any 60 s."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.per_minute = per_minute
        self.seen: dict[str, collections.deque[float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.per_minute <= 0 or not _costly(scope):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("-", 0))[0]
        now = time.monotonic()
        times = self.seen.setdefault(client, collections.deque())
        while times and now - times[0] > 60:
            times.popleft()
        if len(times) >= self.per_minute:
            wait = int(60 - (now - times[0])) + 1
            return await _refuse(scope, receive, send, TooManyRequests(
                f"more than {self.per_minute} leaflets a minute from this client", hint=f"try again in {wait} s"),
                {"Retry-After": str(wait)})
        times.append(now)
        if len(self.seen) > 10_000:  # forget idle clients
            self.seen = {k: v for k, v in self.seen.items() if v and now - v[-1] <= 60}
        await self.app(scope, receive, send)


def _costly(scope: Scope) -> bool:
    return bool(scope["method"] == "POST" or scope["path"].endswith(".pdf"))


# -- CSRF ---------------------------------------------------------------------------------------

def new_token() -> str:
    return secrets.token_urlsafe(32)


def cross_site(request: Request) -> bool:
    """A browser says where a request comes from (``Sec-Fetch-Site``, ``Origin``); a program
    such as curl or a pharmacy system says nothing and is not a browser being tricked."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        return origin.split("://", 1)[-1] != request.headers.get("host", "")
    return origin == "null"


def check_form(request: Request, form: Mapping[str, Any]) -> None:
    """The counter's own form: same origin, and the token of the page it came from
    (a double-submit cookie: any instance can check it, none keeps it)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = form.get(CSRF_FIELD, "")
    if cross_site(request) or not cookie or not isinstance(sent, str) or not hmac.compare_digest(cookie, sent):
        raise ForgedRequest("this form did not come from the counter's page",
                            hint="reload the page and try again")


def check_not_cross_site(request: Request) -> None:
    if cross_site(request):
        raise ForgedRequest("a request from another site", hint="send it from the counter's page or a program")

