"""infoint: an analytics workbench for information-interview networking.

The package is the product's brain: storage, importers, read-outs and the CLI.
It never imports Streamlit; the dashboard in ``app.py`` and ``pages/`` calls it.
"""

__version__ = "0.1.0"
