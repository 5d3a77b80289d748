"""The download page (``osehw site``): a static site built from the designs' build outputs.

``picture.py`` draws each assembly, ``bundles.py`` packs each design's files per machine
into zips with fixed bytes, ``collect.py`` reads and checks a design's build folder, and
``build.py`` writes the pages through :class:`osehw.core.staging.StagedOutput`.
"""
