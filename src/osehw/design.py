"""What a design's ``build(params)`` returns: plain data the later stages consume.

A :class:`Design` carries the CadQuery assembly (for STEP/STL/previews) and the
parts split by how they are made: sheet parts go to CAM, stock parts to cut
lists, purchased items to the BOM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cadquery as cq


@dataclass(frozen=True)
class SheetPart:
    """A part CNC-routed from sheet stock.

    ``solid`` is modelled lying flat: its largest planar face is the stock's
    bottom face at z = 0 and its top at z = ``thickness`` [mm]; CAM reads it
    from there. ``fit`` names the joint allowance class applied to cut
    geometry ("none", "screwed", "slot"...), never to the model.
    """

    name: str
    solid: cq.Shape
    material: str
    thickness: float
    quantity: int = 1
    label: str = ""
    fit: str = "none"


@dataclass(frozen=True)
class StockPart:
    """A part cut from linear stock (tube, angle, bar): goes to the cut list."""

    name: str
    profile: str
    length: float
    quantity: int = 1
    material: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PurchasedItem:
    """A catalog item bought whole; ``catalog_id`` is a key in a ``bom/`` catalog."""

    catalog_id: str
    quantity: float
    note: str = ""


@dataclass(frozen=True)
class Finding:
    """One result of a check, in the manner of ezdxf's Auditor: code, severity, subject, message."""

    code: str
    severity: str  # "error" | "warning" | "info"
    subject: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class Design:
    """The product of ``build(params)``.

    ``placements`` maps a sheet part name to the cq.Location of each of its
    instances in the assembly (the assembly itself holds the located solids).
    ``analyses`` holds engineering results computed while building (e.g. the
    thermal check), each a plain dict with units in the key names.
    """

    name: str
    assembly: cq.Assembly
    sheet_parts: list[SheetPart] = field(default_factory=list)
    stock_parts: list[StockPart] = field(default_factory=list)
    purchased: list[PurchasedItem] = field(default_factory=list)
    analyses: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
