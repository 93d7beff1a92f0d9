"""Run the counter with uvicorn: ``leaflet serve`` -> a listening server.

uvicorn's own access log is off: it would write query strings, which a
program could fill with a patient's name. ``guards.AccessLog`` writes the
lines instead (path and status only), through the same handler as uvicorn's.

What the application cannot do, the server does: it believes
``X-Forwarded-For`` and ``X-Forwarded-Proto`` only from the trusted proxies
(``Settings.trusted_proxies``; uvicorn would believe them from 127.0.0.1, so
anything on the machine could choose its address for the rate limit and the
log), closes a connection whose request headers do not arrive within
``header_timeout`` (uvicorn waits for ever), refuses requests beyond
``concurrency`` with a 503 problem detail (uvicorn's is plain text), and on
SIGTERM lets the requests in flight finish for ``shutdown_timeout`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import sys
from typing import Any

import h11
import uvicorn
from uvicorn._types import ASGI3Application, ASGIReceiveCallable, ASGISendCallable, Scope
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from leaflet.counter.app import HEADER_TIMEOUT, Settings, create_app
from leaflet.counter.guards import CLOSE
from leaflet.counter.problems import problem_for
from leaflet.errors import NotReady
from leaflet.project import Project

log = logging.getLogger("leaflet.counter")
#: What uvicorn's ``run`` exits with when the server did not start (the port is taken).
STARTUP_FAILURE = 3


def log_config() -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["leaflet"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


class CounterConfig(uvicorn.Config):
    """uvicorn's configuration, with the header deadline its protocol lacks."""

    def __init__(self, app: Any, *, header_timeout: float = HEADER_TIMEOUT, **options: Any) -> None:
        super().__init__(app, **options)
        self.header_timeout = header_timeout


class CounterProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 with a deadline for each request's headers, and a problem detail
    instead of uvicorn's plain-text 503 beyond ``limit_concurrency``."""

    def __init__(self, config: uvicorn.Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.header_timeout = getattr(config, "header_timeout", HEADER_TIMEOUT)
        self.headers_due: asyncio.TimerHandle | None = None
        limit, self.limit_concurrency = self.limit_concurrency, None  # answered by ``_unless_busy``
        if limit:
            self.app = _unless_busy(self.app, limit, server_state)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.headers_due is not None:
            self.headers_due.cancel()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        """From now, the client has ``header_timeout`` seconds to send a request's line and headers
        (and the rest of a body nobody read: a request refused before it)."""
        if self.headers_due is not None:
            self.headers_due.cancel()
        if not self.transport.is_closing():
            self.headers_due = self.loop.call_later(self.header_timeout, self._headers_late)

    def _headers_late(self) -> None:
        waiting = self.cycle is None or self.cycle.response_complete  # no request being answered
        if waiting and not self.transport.is_closing():
            with contextlib.suppress(h11.LocalProtocolError):  # halfway through a request: closed all the same
                self.conn.send(h11.ConnectionClosed())
            self.transport.close()


def _unless_busy(app: ASGI3Application, limit: int, state: ServerState) -> ASGI3Application:
    busy = problem_for(NotReady(f"the counter is answering {limit} requests at once", retry_after=1), CLOSE)

    async def answer(scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
        if scope["type"] == "http" and (len(state.connections) > limit or len(state.tasks) > limit):
            log.warning("more than %d requests or connections at once: refused with 503", limit)
            return await busy(scope, receive, send)  # type: ignore[arg-type]
        await app(scope, receive, send)

    return answer


def server_config(project: Project, settings: Settings, host: str, port: int) -> CounterConfig:
    return CounterConfig(create_app(project, settings), host=host, port=port, http=CounterProtocol,
                         access_log=False, log_config=log_config(), server_header=False,
                         proxy_headers=bool(settings.trusted_proxies),
                         forwarded_allow_ips=list(settings.trusted_proxies) or None,
                         header_timeout=settings.header_timeout, limit_concurrency=settings.concurrency or None,
                         timeout_graceful_shutdown=settings.shutdown_timeout)


def run(project: Project, settings: Settings, host: str, port: int) -> None:
    server = uvicorn.Server(server_config(project, settings, host, port))
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
