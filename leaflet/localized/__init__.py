"""One leaflet in one language, as data: content + checked catalogs -> ``LocalizedLeaflet``.

The stage between the catalogs and every edition. It holds each sentence the
patient reads, in reading order, with its English and its translation still in
the content's own markup (``**bold**``, ``{placeholders}``): the print renderer
makes HTML of it, and an audio, braille or structured-data edition reads the
same object without touching a catalog or a template. The frame's sentences
(the box, the headings of the frame, the footer) are in it too, keyed by their
context, and so are the directions (each dose in the plural form of its own
count, joined by the language's list pattern: ``directions.py``), the
review's state and the leaflet's sources.

A sentence with no usable translation is refused here (``CatalogProblems``),
except in a draft, where it keeps ``text=None`` and the renderer prints the
English, marked.
"""

from leaflet.localized.directions import Directions, localize_directions
from leaflet.localized.model import (
    Items,
    LocalizedLeaflet,
    Node,
    Warning,
    header_date,
    localize,
)
from leaflet.localized.sentence import Sentence

__all__ = ["Directions", "Items", "LocalizedLeaflet", "Node", "Sentence", "Warning", "header_date", "localize",
           "localize_directions"]
