"""The infoint benchmark: ``python -m bench`` (``--quick`` for a smoke run in seconds).

Synthetic, seeded data at student scale (a LinkedIn export and a tracker workbook) and
at career-centre scale (thousands of shares), timed through the same functions and pages
a person uses, side by side with what a person would otherwise write in a notebook.
``bench/RESULTS.md`` is the report; ``docs/scaling.md`` reads it.
"""
