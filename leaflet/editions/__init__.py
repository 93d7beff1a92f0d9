"""Stage 3, the other editions: one localized leaflet -> audio, braille, HTML, FHIR ePI.

For patients who cannot read print, and for the systems that hold product
information. Each edition reads the localized leaflet (``leaflet.localized``) in
the print's reading order (``reading.sections``), never the catalogs or the print
templates. ``made.make_edition`` is their one entry, as ``render_edition`` is the
print's; ``coverage`` says which languages each edition has and, where one is
missing, why (no espeak-ng voice, no liblouis table).

Makers: ``audio`` (espeak-ng -> MP3), ``braille`` (liblouis -> BRF), ``web``
(a self-contained accessible HTML page), ``epi`` (a FHIR R5 document Bundle).
"""
