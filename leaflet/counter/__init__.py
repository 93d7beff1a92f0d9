"""The pharmacy counter: a web page and an HTTP API over the leaflet library.

``app`` (the routes), ``fields`` (request fields -> ``BuildOptions``),
``problems`` (errors -> RFC 9457 problem details) and ``guards`` (password,
CSRF, limits, headers, the access log). ``leaflet serve`` runs
``create_app`` with uvicorn; the page's templates are ``templates/counter/``.
"""

from leaflet.counter.app import Settings, create_app

__all__ = ["create_app", "Settings"]
