"""Outputs: one module per kind of file a build writes (KiBot's ``out_*`` habit).

Each output declares the files it writes (patterns, relative to the design's
output folder), when it applies to a build result, and a ``write(result,
stage)`` that writes through :class:`osehw.core.staging.StagedOutput` (so
every file lands whole or not at all) and may return a section for the
manifest. Adding an output is adding one module here that calls
:func:`register`; :func:`discover` imports every module of this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from osehw.core.registry import Registry, import_package

Writer = Callable[[Any, Any], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Output:
    name: str
    files: tuple[str, ...]  # what it writes, as patterns: "model.step", "sheets/<machine>/…"
    applies: Callable[[Any], bool]
    write: Writer
    # False: the writer reads no solid (no OCC call), so the build may run it in a forked process
    # beside those that do (osehw.core.parallel); True, the safe default, keeps it in the build's own
    reads_solids: bool = True
    # False: of the CAM result the writer reads at most the parts' recognised features (``result.cam.features``),
    # so the build may write it while CAM runs (then ``result.cam`` holds those features only)
    reads_cam: bool = True


OUTPUTS: Registry[Output] = Registry("output")


def register(name: str, files: tuple[str, ...], applies: Callable[[Any], bool] = lambda result: True,
             reads_solids: bool = True, reads_cam: bool = True) -> Callable[[Writer], Writer]:
    """Decorator for an output's ``write(result, stage) -> manifest section or None``."""

    def wrap(write: Writer) -> Writer:
        OUTPUTS.register(name, Output(name, files, applies, write, reads_solids, reads_cam))
        return write

    return wrap


def discover() -> Registry[Output]:
    """Import every output module of this package (those that register an output)."""
    import_package(__name__, __path__)
    return OUTPUTS
