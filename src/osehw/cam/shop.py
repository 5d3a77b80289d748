"""Machine and tool profiles (YAML under ``cam/``), validated like designs; materials are in the
catalog (:mod:`osehw.catalog.materials`).

Feeds and speeds: feed [mm/min] = rpm × flutes × chipload [mm/tooth]
(the standard chipload relation, e.g. Onsrud / Harvey Tool machining guides),
clamped to the machine; when the machine cannot reach the feed the spindle
speed is lowered to keep the chipload (rubbing burns and dulls the edge).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from osehw.catalog.materials import Material
from osehw.core.paths import cam_dir

__all__ = ["FeedsAndSpeeds", "Machine", "Material", "Tool", "load_machines", "load_tools"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Machine(_Strict):
    id: str = Field(description="machine id, the file's stem")
    name: str = Field(description="human name")
    controller: Literal["grbl", "linuxcnc", "mach3"] = Field(description="post-processor / G-code dialect")
    envelope_x: float = Field(gt=0, description="travel in X [mm]")
    envelope_y: float = Field(gt=0, description="travel in Y [mm]")
    envelope_z: float = Field(gt=0, description="travel in Z [mm]")
    max_feed: float = Field(gt=0, description="maximum cutting feed [mm/min]")
    max_rapid: float = Field(gt=0, description="rapid traverse rate [mm/min]")
    acceleration: float = Field(gt=0, description="axis acceleration [mm/s^2]")
    spindle_min_rpm: float = Field(gt=0, description="slowest spindle speed [rpm]")
    spindle_max_rpm: float = Field(gt=0, description="fastest spindle speed [rpm]")
    z_zero: Literal["stock_top", "spoilboard"] = Field("stock_top", description="where Z = 0 is touched off")
    safe_z: float = Field(5.0, gt=0, description="clearance height above stock top [mm]")
    breakthrough: float = Field(0.3, ge=0, le=1.0, description="cut depth into the spoilboard [mm]")
    clamp_margin: float = Field(15.0, ge=0, description="stock edge kept free for clamps/screws [mm]")
    tools: tuple[str, ...] = Field(description="tool ids available on this machine")
    junction_deviation: float = Field(
        0.01, gt=0, le=1.0,
        description="how far a corner may be cut in the speed model [mm]: GRBL $11 (default 0.01 mm)")
    arc_tolerance: float = Field(
        0.002, gt=0, le=1.0,
        description="arcs run as chords within this of the arc [mm]: GRBL $12 (default 0.002 mm)")
    start_position: Literal["unknown", "work_zero"] | tuple[float, float, float] = Field(
        "unknown",
        description="where the tool stands when a program starts, for the time estimate: 'work_zero' "
                    "(X0 Y0 Z0 of the program, where it was touched off), a point [x, y, z] in the "
                    "program frame [mm] (e.g. where homing leaves it), or 'unknown' (moves before every "
                    "axis is commanded are not timed)")


class Tool(_Strict):
    id: str
    name: str
    kind: Literal["flat", "ball", "vbit", "drill"]
    diameter: float = Field(gt=0, description="cutting diameter [mm]")
    flutes: int = Field(ge=1, le=8)
    flute_length: float = Field(gt=0, description="[mm]")
    angle: float | None = Field(None, description="included angle for v-bits and drill points [deg]")


def _load_dir(kind: str, model: type[_Strict], root: Path | None = None) -> dict[str, _Strict]:
    folder = (root or cam_dir()) / kind
    out: dict[str, _Strict] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text()) or {}
        data.setdefault("id", path.stem)
        out[path.stem] = model.model_validate(data)
    return out


def load_machines(root: Path | None = None) -> dict[str, Machine]:
    return _load_dir("machines", Machine, root)  # type: ignore[return-value]


def load_tools(root: Path | None = None) -> dict[str, Tool]:
    return _load_dir("tools", Tool, root)  # type: ignore[return-value]


@dataclass(frozen=True)
class FeedsAndSpeeds:
    """Feeds for one tool in one material on one machine, with the reason for any change."""

    rpm: float
    feed: float  # [mm/min]
    plunge: float  # [mm/min]
    chipload: float  # [mm/tooth]
    stepdown: float  # [mm]
    stepover: float  # [mm]
    note: str = ""
