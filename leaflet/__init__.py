"""leaflet: printable, multilingual patient leaflets.

The pipeline, one package per stage, each importing only the stages before it:

    source/    content, directions, pharmacy profile  -> what to say, and for whom
    catalogs/  the English and its .po translations    -> checked ``Translations``
    render/    leaflet + translations + options        -> HTML -> PDF bytes, preflighted
    builder/   leaflets x languages x editions         -> PDF files in output/, with a manifest

Front ends on top: ``cli`` (the ``leaflet`` command), ``proofs/`` (what reviewers
read), ``counter/`` (the pharmacy counter's web page and API, which can print
through ``printer/``: a PDF -> a CUPS print job, over IPP), ``doctor``.
Under everything: ``errors``, ``files``, ``languages``, ``project``, ``characters``.

``leaflet.build(...)`` writes a PDF file; ``leaflet.render.render(...)`` gives its bytes.
Both are imported when first used, so ``import leaflet`` (and every command's
start-up) loads no stage it does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from leaflet.builder.pipeline import build
    from leaflet.render.options import BuildOptions

__all__ = ["BuildOptions", "__version__", "build"]

_LAZY = {"build": "leaflet.builder.pipeline", "BuildOptions": "leaflet.render.options"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'leaflet' has no attribute {name!r}")
