"""Stage 4, builder: leaflets x languages x editions -> PDF files in ``output/``.

In: what to build (``options.BuildOptions``, names as typed) and a ``Project``. Out: each
PDF, preflighted and saved atomically (``pipeline``), with a manifest of its inputs so an
unchanged leaflet is not built again (``manifest``); many at once (``batch``), or kept
warm for the counter (``pool``). A stage that fails keeps the previous PDF.
"""
