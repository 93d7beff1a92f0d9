"""Stage 2, catalogs: the English as gettext templates, and each language's checked translations.

In: the source's text and the print templates; ``locales/<lang>/LC_MESSAGES/<domain>.po``.
Out: ``.pot`` templates (``extract``), merged ``.po`` files (``update``), what is left to
translate (``stats``), every problem of a translation (``checks``, ``gate``: one check path,
cached by file digest), recorded reviews (``reviews``), and ``translations.Translations``,
the only finished, checked text the render stage may print. ``pofile`` reads and writes
the files as GNU gettext does; ``plurals`` compiles CLDR's plural rules.
"""
