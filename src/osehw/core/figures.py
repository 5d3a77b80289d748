"""Figures for reports: matplotlib drawn off-screen and saved as SVG with the same bytes every time.

matplotlib stamps an SVG with the date and gives its elements ids from a
random salt; both are fixed here (``metadata={"Date": None}`` and the
``svg.hashsalt`` rcParam, matplotlib's documented switches for reproducible
output), and text is kept as text (``svg.fonttype: none``) so the file does
not depend on which font files the machine has.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator

STYLE = {"svg.hashsalt": "osehw", "svg.fonttype": "none", "font.size": 9.0, "axes.grid": True,
         "grid.alpha": 0.3, "figure.dpi": 100.0}


@contextmanager
def figure(width_in: float = 6.4, height_in: float = 3.6) -> Iterator[tuple[Any, Any]]:
    """A new (figure, axes) in osehw's style; closed on exit."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width_in, height_in), layout="constrained")
        try:
            yield fig, ax
        finally:
            plt.close(fig)


_RENDER = ContextVar("osehw_render_figures", default=True)


@contextmanager
def figures_off() -> Iterator[None]:
    """Inside it, :func:`svg_text` renders nothing and returns "" (``osehw plan`` builds its node classes for
    their numbers: rendering their SVG figures was a third of a class's build time)."""
    token = _RENDER.set(False)
    try:
        yield
    finally:
        _RENDER.reset(token)


def svg_text(fig: Any) -> str:
    """The figure as SVG text, without a date and with fixed ids ("" inside :func:`figures_off`)."""
    import matplotlib

    if not _RENDER.get():
        return ""

    buf = io.StringIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "osehw (matplotlib)"})
    return buf.getvalue()
