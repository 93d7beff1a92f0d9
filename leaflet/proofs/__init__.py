"""Front end for reviewers: what a translator or a pharmacist reads before a leaflet is printed.

``review`` (``leaflet proof``): a PDF table of every entry, English beside the translation,
with its checks' findings, or only what changed since the recorded review. ``sheet``
(``leaflet proofs``): a contact sheet of every language's pages. ``preview``
(``leaflet preview``): the leaflet as HTML, openable in a browser. All print through the render stage.
``picture`` draws one page of a PDF as a PNG in memory (the counter's look before printing).
"""
