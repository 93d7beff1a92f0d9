"""leaflet: printable, multilingual patient leaflets.

The pipeline runs content -> catalogs -> HTML -> PDF; ``build`` chains the
stages for one leaflet in one language.
"""

__version__ = "0.1.0"

from .pipeline import BuildOptions, build  # noqa: E402

__all__ = ["build", "BuildOptions", "__version__"]
