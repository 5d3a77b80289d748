"""parts/<part>.svg and parts/<part>.dxf: each sheet part's top view and its true geometry by layer."""

from __future__ import annotations

from typing import Any

from osehw.outputs import register
from osehw.outputs.exporters import write_part_dxf, write_part_svg


@register("part-drawings", files=("parts/<part>.svg", "parts/<part>.dxf"),
          applies=lambda result: bool(result.design.all_sheet_parts()), reads_cam=False)
def write(result: Any, stage: Any) -> None:
    recognised = result.cam.features if result.cam is not None else {}  # CAM recognised the parts already
    for part in result.design.all_sheet_parts():
        write_part_svg(part.solid, stage.file(f"parts/{part.name}.svg"))
        write_part_dxf(part, stage.file(f"parts/{part.name}.dxf"), recognised.get(part.name))
