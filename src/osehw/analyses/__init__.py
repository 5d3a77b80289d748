"""Analyses: engineering results computed from a built design, one module each.

An analysis declares which designs it applies to, what it needs besides the
design (``"cam"``: the CAM result, for sheet counts), and a ``run`` that
returns an :class:`AnalysisResult`: findings, a summary of scalars (units in
the key names, for the manifest and the report) and tables (rows → CSV).

Adding an analysis is adding one module here that calls :func:`register`;
:func:`discover` imports every module of this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from osehw.core.design import Design, PurchasedItem
from osehw.core.findings import Finding
from osehw.core.registry import Registry, import_package


@dataclass(frozen=True)
class AnalysisResult:
    """What one analysis found: ``summary`` scalars carry their unit in the key (``inside_c``,
    ``total_usd``); ``tables`` map a name to rows of plain values (→ CSV); ``figures`` a name to
    SVG text (→ .svg, and pictures in the report)."""

    name: str
    findings: tuple[Finding, ...] = ()
    summary: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)  # name → SVG text (osehw.core.figures)
    purchased: tuple[PurchasedItem, ...] = ()  # what the analysis sized that the bill must buy (a tower's pad)


@dataclass(frozen=True)
class Inputs:
    """Everything an analysis may read: the design, the CAM result once the CAM step ran, the
    site the design file names (None when it names none), and — for an analysis that runs after CAM —
    the results of the analyses that ran before it over the whole tree, by qualified name
    (``power-system/energy``): how a node's economics reads its children's battery life, and how the
    bill buys what an analysis sized (``AnalysisResult.purchased``: a tower's pad)."""

    design: Design
    cam: Any = None  # osehw.cam.job.CamResult
    site: Any = None  # osehw.core.site.Site
    earlier: Mapping[str, "AnalysisResult"] = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis:
    name: str
    applies: Callable[[Design], bool]
    run: Callable[[Inputs], AnalysisResult]
    needs: tuple[str, ...] = ()  # "cam": runs in the cost step, after CAM


ANALYSES: Registry[Analysis] = Registry("analysis")


def register(name: str, applies: Callable[[Design], bool] = lambda design: True,
             needs: tuple[str, ...] = ()) -> Callable[[Callable[[Inputs], AnalysisResult]], Callable]:
    """Decorator for an analysis' ``run(inputs) -> AnalysisResult``."""

    def wrap(run: Callable[[Inputs], AnalysisResult]) -> Callable[[Inputs], AnalysisResult]:
        ANALYSES.register(name, Analysis(name, applies, run, needs))
        return run

    return wrap


def discover() -> Registry[Analysis]:
    """Import every analysis module of this package (each registers itself)."""
    import_package(__name__, __path__)
    return ANALYSES


def run_analyses(inputs: Inputs, after_cam: bool, skip: tuple[str, ...] = ()) -> dict[str, AnalysisResult]:
    """Run, in name order, the analyses that apply to the design and need the CAM result
    (``after_cam``) or not, less those named in ``skip``. Each sees, in ``inputs.earlier``, the results before
    it in this pass too (unqualified, as the root's are): the economics reads the bill the cost analysis made
    instead of rolling it up a second time."""
    out: dict[str, AnalysisResult] = {}
    for name in discover():
        if name in skip:
            continue
        analysis = ANALYSES.get(name)
        if ("cam" in analysis.needs) == after_cam and analysis.applies(inputs.design):
            out[name] = analysis.run(replace(inputs, earlier={**inputs.earlier, **out}))
    return out
