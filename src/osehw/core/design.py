"""What a design's ``build(params)`` returns: plain data the later stages consume.

A :class:`Design` carries the CadQuery assembly (for STEP/STL/previews) and the
parts split by how they are made: sheet parts go to CAM, stock parts to cut
lists, purchased items to the BOM.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import cadquery as cq

from osehw.core.findings import Finding


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
    """A part sawn from linear stock (tube, pipe, angle, flat bar): goes to the cut list and the cut plan.

    ``profile`` is an id in ``bom/stock_profiles.csv``; ``length`` [mm] is long point to long point;
    ``end_cuts`` the mitre angle of each end from square [deg] (0 = square); ``holes`` (position from
    the first end [mm], diameter [mm]) drilled across the part.
    """

    name: str
    profile: str
    length: float
    quantity: int = 1
    end_cuts: tuple[float, float] = (0.0, 0.0)
    holes: tuple[tuple[float, float], ...] = ()
    label: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PurchasedItem:
    """A catalog item bought whole; ``catalog_id`` is a key in a ``bom/`` catalog."""

    catalog_id: str
    quantity: float
    note: str = ""


@dataclass(frozen=True)
class SealedBox:
    """A closed box whose inside air temperature matters (what the thermal analysis reads).

    ``outer_*`` [mm]; ``material`` a sheet material id; ``heat_w`` [W] released
    inside plus solar heat absorbed; ``rating_c`` [°C] the lowest maximum
    ambient of the equipment inside; ``ambient_c`` [°C] the design air temperature.
    """

    outer_x: float
    outer_y: float
    outer_z: float
    material: str
    heat_w: float
    solar_gain_w: float
    rating_c: float
    ambient_c: float


@dataclass(frozen=True)
class Load:
    """What a design puts on the one that carries or feeds it (a node passes its children's loads on).

    ``weight_kg``; ``wind_area_m2``: effective projected area (EPA) facing the wind, at
    ``height`` [mm] above the carrier's base (TIA-222 calls it EPA); ``electrical_w``: average
    power drawn; ``heat_w``: heat released inside an enclosure. Zero where it does not apply.
    """

    name: str
    weight_kg: float = 0.0
    wind_area_m2: float = 0.0
    height: float = 0.0
    electrical_w: float = 0.0
    heat_w: float = 0.0


@dataclass
class Design:
    """The product of ``build(params)``: geometry and parts, no analysis.

    ``assembly`` is the whole model for STEP/STL (None for a design with no
    3D model); ``children`` the designs it is made of; ``loads`` what it puts on its carrier
    (weight, wind, electrical power, heat). ``summary`` holds facts of the built geometry worth reporting
    (units in the key names: ``inner_x`` [mm], ``gasket_cord_m``). What the
    analyses need from a design is declared in typed fields (``sealed_box``,
    ``frame``, ``radio_link``, ``trough``); an analysis applies where its field is set.
    """

    name: str
    assembly: cq.Assembly | None
    sheet_parts: list[SheetPart] = field(default_factory=list)
    stock_parts: list[StockPart] = field(default_factory=list)
    purchased: list[PurchasedItem] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    sealed_box: SealedBox | None = None
    findings: list[Finding] = field(default_factory=list)
    children: dict[str, "Design"] = field(default_factory=dict)
    loads: list[Load] = field(default_factory=list)
    power_system: Any = None  # osehw.designs.power_system.PowerSystem: what the energy analysis checks
    frame: Any = None  # osehw.core.frame.Frame: members and loads for the structure analysis
    radio_link: Any = None  # osehw.designs.tower.RadioLink: the hop that sets a tower's height
    trough: Any = None  # osehw.designs.concentrator.Trough: what the optics and heat-yield analyses check
    node: Any = None  # osehw.designs.node.NodeSpec: what the economics and aluminium analyses read

    def walk(self, prefix: str = "") -> list[tuple[str, "Design"]]:
        """This design and every descendant, as (qualified path, design): ("", self), ("enclosure", …),
        ("node/tower", …), parents before children, children in name order."""
        out = [(prefix, self)]
        for name in sorted(self.children):
            out += self.children[name].walk(f"{prefix}/{name}" if prefix else name)
        return out

    def all_sheet_parts(self) -> list[SheetPart]:
        """Every sheet part of the tree, a child's named by its path (``enclosure/lid``), so two
        children's "back" panels stay apart in CAM, drawings and the BOM."""
        return self._qualified("sheet_parts")

    def all_stock_parts(self) -> list[StockPart]:
        """Every stock part of the tree, named by its path like :meth:`all_sheet_parts`."""
        return self._qualified("stock_parts")

    def all_loads(self) -> list[tuple[str, Load]]:
        """Every load of the tree with the path of the design that declared it."""
        return [(path, load) for path, design in self.walk() for load in design.loads]

    def _qualified(self, kind: str) -> list[Any]:
        return [part if not path else replace(part, name=f"{path}/{part.name}")
                for path, design in self.walk() for part in getattr(design, kind)]
