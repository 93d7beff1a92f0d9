"""The pharmacy counter: a web page and an HTTP API over the leaflet library.

``app`` (the routes), ``fields`` (request fields -> ``BuildOptions``),
``form`` (the page's form -> those fields, or every problem at once),
``page_language`` (the page in the staff's language, from the ``counter``
catalogs), ``offer`` (what can be printed), ``problems`` (errors -> RFC 9457
problem details) and ``guards`` (password, CSRF, limits, headers, the access
log). ``leaflet serve`` runs ``create_app`` with uvicorn; the page's
templates are ``templates/counter/``.
"""

from leaflet.counter.app import Settings, create_app

__all__ = ["create_app", "Settings"]
