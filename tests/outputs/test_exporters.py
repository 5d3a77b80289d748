import cadquery as cq
import pytest
import trimesh

from osehw.outputs import exporters as export


def test_step_reimports_as_closed_solids_and_is_reproducible(enclosure, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = tmp_path / "a.step", tmp_path / "b.step"
    export.write_step(enclosure.assembly, a)
    export.write_step(enclosure.assembly, b)  # same process: OCC's occurrence counter has moved on
    assert a.read_bytes() == b.read_bytes()
    assert "'1970-01-01T00:00:00'" in a.read_text()
    solids = cq.importers.importStep(str(a)).solids().vals()
    assert len(solids) == 12
    assert all(s.isValid() for s in solids)
    volume = sum(s.Volume() for s in solids)
    expected = sum(p.solid.Volume() * p.quantity for p in enclosure.sheet_parts)
    boxes = 113 * 100 * 40 + 113 * 89 * 28 + 133 * 80 * 40 + 3 * 65 * 35 * 25
    assert volume == pytest.approx(expected + boxes, rel=1e-6)


def test_source_date_epoch_sets_the_step_time(enclosure, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    export.write_step(enclosure.assembly, tmp_path / "c.step")
    assert "'2023-11-14T22:13:20'" in (tmp_path / "c.step").read_text()


def test_stl_is_watertight_per_body(enclosure, tmp_path):
    path = tmp_path / "m.stl"
    export.write_stl(enclosure.assembly, path)
    mesh = trimesh.load(path)
    bodies = mesh.split(only_watertight=False)
    assert len(bodies) == 12
    assert all(b.is_watertight for b in bodies)
    lo, hi = mesh.bounds
    assert hi - lo == pytest.approx([444.4, 345.4, 95.4], abs=0.01)
