"""The demo: the real client against an embedded HQ with synthetic data (``python main.py --demo``).

Kept outside ``ui/`` because it starts ``hq/`` in-process: ``ui`` imports nothing from ``hq``, and
the demo imports ``ui.app`` (never the other way round).
"""
