"""model.step and model.stl: the design's assembly, for CAD and for viewers."""

from __future__ import annotations

from typing import Any

from osehw.outputs import register
from osehw.outputs.exporters import write_step, write_stl


@register("model", files=("model.step", "model.stl"), applies=lambda result: result.design.assembly is not None,
          reads_cam=False)
def write(result: Any, stage: Any) -> None:
    write_step(result.design.assembly, stage.file("model.step"))
    write_stl(result.design.assembly, stage.file("model.stl"))
