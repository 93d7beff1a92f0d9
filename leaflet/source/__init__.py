"""Stage 1, source: what a leaflet says, and what a pharmacy adds, read and checked.

In: ``content/<leaflet>.md`` (the English text, one block per stable id), ``content/names.toml``
(medicine names), ``content/directions.toml`` (dosing directions), a pharmacy profile (TOML).
Out: ``content.Leaflet``, ``directions.Direction``, ``pharmacy.Pharmacy``, each refused with
the file and line of its first mistake. Nothing here knows of translations or pages.
"""
