"""infoint: an analytics workbench for information-interview networking.

The package is the product's brain: storage, importers, read-outs and the CLI.
It never imports Streamlit; the dashboard in ``app.py`` and ``pages/`` calls it.
"""

import os

__version__ = "0.1.0"

# Polars' allocator (jemalloc) keeps the memory it frees for about 1.5 s before handing
# it back: Polars sets 500 ms, then 1 s more as "muzzy" pages, still counted as the
# process's. A cohort's load and facts free and take hundreds of MB within that time, so
# their peak held 80 MB already freed. Handed back after 100 ms, straight, the peak is
# that much lower, for a few hundredths of a second at most (within the runs' noise; see
# docs/scaling.md). Polars reads the variable when it is first imported and adds what it
# finds to its own settings (the last one wins): it is set here, before any module of
# the package imports Polars, so it takes effect in a process that imports infoint_core
# first (the CLI, ``app.py``). A value already in the environment is left as it is.
ALLOCATOR_ENV = "_RJEM_MALLOC_CONF"
ALLOCATOR_SETTINGS = "dirty_decay_ms:100,muzzy_decay_ms:0"
os.environ.setdefault(ALLOCATOR_ENV, ALLOCATOR_SETTINGS)
