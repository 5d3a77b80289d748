"""A maker's own STEP: every solid of an assembly is a part, each laid on its largest face."""

from __future__ import annotations

import cadquery as cq
import pytest

from osehw.designs.user_part import UserPartError, user_part_design


def test_a_step_assembly_gives_one_part_per_solid_each_laid_flat(tmp_path):
    flat = (cq.Workplane().box(120, 80, 6, centered=False)
            .cut(cq.Workplane().center(60, 40).circle(5).extrude(6)).val())
    standing = (cq.Workplane().box(60, 6, 40, centered=False).val()  # a 60 x 40 plate stood on its edge
                .translate(cq.Vector(200, 0, 0)))
    path = tmp_path / "two-plates.step"
    cq.exporters.export(cq.Compound.makeCompound([flat, standing]), str(path))
    design = user_part_design(path, thickness=6, material="plywood", quantity=2)
    assert [p.name for p in design.sheet_parts] == ["two-plates-1", "two-plates-2"]
    for part, (x, y) in zip(design.sheet_parts, [(120, 80), (60, 40)]):
        bb = part.solid.BoundingBox()
        assert sorted((bb.xlen, bb.ylen)) == pytest.approx(sorted((x, y)), abs=1e-6)
        assert bb.zlen == pytest.approx(6.0, abs=1e-6) and bb.zmin == pytest.approx(0.0, abs=1e-6)
        assert part.quantity == 2
    # the Ø10 hole goes through: (120·80 − π·5²)·6 mm³
    assert design.sheet_parts[0].solid.Volume() == pytest.approx((120 * 80 - 3.14159265 * 25) * 6, rel=1e-6)


def test_a_step_with_no_solid_is_refused_by_name(tmp_path):
    path = tmp_path / "surface.step"
    cq.exporters.export(cq.Workplane().rect(50, 50).extrude(1).faces(">Z").val(), str(path))
    with pytest.raises(UserPartError, match="surface.step.*no solid"):
        user_part_design(path, thickness=6, material="plywood", quantity=1)
