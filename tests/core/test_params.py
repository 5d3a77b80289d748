"""Bad parameter files: each gives its exact message (file, field, value, rule)."""

import pytest

from osehw.core.params import ParamError, parse_overrides, read_design_file, validate
from osehw.designs import load_all
from osehw.pipeline import load


def write(tmp_path, body: str):
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    return path


CASES = [
    ("params: {wall_thickness: 3}",
     "wall_thickness = 3: must be ≥ 6.0 mm"),
    ("params: {wal_thickness: 12.7}",
     "wal_thickness = 12.7: unknown field; did you mean 'wall_thickness'?"),
    ("params: {material: hdep}",
     "material = 'hdep': 'hdep' is not a known material; did you mean 'hdpe'? (valid: aluminium-6061, hdpe, plywood)"),
    ("params: {wall_thickness: 15}",
     "wall_thickness = 15.0: not a stock thickness of hdpe (bom/materials/hdpe.yaml has 12.7, 19.05 mm)"),
    ("params: {equipment: [mikrotik-hex-poe, toaster]}",
     "equipment[1] = 'toaster': unknown equipment (valid: fuse-block-6way, mikrotik-hex-poe, netonix-ws-12-250-dc, surge-eth-poe, "
     "victron-mppt-75-15)"),
    ("params: {inner_length: 200}",
     "inner_length = 200.0: the contents do not fit: need ≥ 419.0 mm"),
    ("params: {groove_width_ratio: 1.2}",
     "groove_width_ratio = 1.2: cord fills 87% of the groove; must be ≤ 85 % (O-ring handbook face-seal rule)"),
    # 12 M20 (27.71 across corners) + 8 M25 (33.49) + vent (17.32) + 22 gaps of 3 mm = 683.8 mm
    ("params: {inner_length: 419, m20_glands: 12, m25_glands: 8}",
     "inner_length = 419.0: the contents do not fit: need ≥ 683.8 mm (equipment rows 419.0, gland row 683.8)"),
    ("params: {material: plywood, wall_thickness: 12.0, gasket_cord_diameter: 5.0, groove_width_ratio: 1.3}",
     "wall_thickness = 12.0: too thin for the gasket groove and lid screws side by side: needs ≥ 14.00 mm"),
    ("params: {ambient_c: hot}",
     "ambient_c = 'hot': input should be a valid number, unable to parse string as a number"),
]


@pytest.mark.parametrize("body,message", CASES)
def test_bad_parameter_gives_its_message(tmp_path, body, message):
    path = write(tmp_path, "design: node-enclosure\n" + body + "\n")
    with pytest.raises(ParamError) as exc:
        load(str(path))
    lines = [str(p) for p in exc.value.problems]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: ") or lines[0].startswith("bad.yaml")
    assert message in lines[0]


def test_thin_wall_case_is_a_real_boundary(tmp_path):
    # 1 + 1.3·5 + 1 + 4 + 1.5 = 14.0 mm needed > 12: the case above must fail; at 19.05 HDPE it passes
    path = write(tmp_path, "design: node-enclosure\nparams: {wall_thickness: 19.05, gasket_cord_diameter: 5.0, "
                           "groove_width_ratio: 1.3}\n")
    assert load(str(path)).params.wall_thickness == 19.05


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    path = write(tmp_path, "design: node-enclosure\nparams: {wall_thickness: 3, headroom: 1000, colour: red}\n")
    with pytest.raises(ParamError) as exc:
        load(str(path))
    fields = sorted(p.field for p in exc.value.problems)
    assert fields == ["colour", "headroom", "wall_thickness"]


def test_file_level_errors(tmp_path):
    with pytest.raises(ParamError, match=r"design = '(nope)'.*not a known design"):
        load(str(write(tmp_path, "design: nope\nparams: {}\n")))
    with pytest.raises(ParamError, match=r"bad.yaml: line 3: not valid YAML"):
        read_design_file(write(tmp_path, "design: node-enclosure\nparams: {a: [1,\n"))
    with pytest.raises(ParamError, match=r"design = \(missing\): required"):
        read_design_file(write(tmp_path, "params: {}\n"))


def test_overrides_are_typed_and_win():
    over = parse_overrides(["wall_thickness=19.05", "vent=false", "equipment=[mikrotik-hex-poe]"])
    assert over == {"wall_thickness": 19.05, "vent": False, "equipment": ["mikrotik-hex-poe"]}
    loaded = load("node-enclosure", over)
    assert loaded.params.wall_thickness == 19.05 and loaded.params.vent is False
    # one router alone needs 143 mm, but the bottom wall must still take 4×M20 + M25 (no vent): 162.3 → 145.0
    from osehw.designs.node_enclosure import inner_dimensions

    assert inner_dimensions(loaded.params)[0] == pytest.approx(4 * 27.713 + 33.486 + 6 * 3, abs=0.01)
    with pytest.raises(ParamError, match="expected FIELD=VALUE"):
        parse_overrides(["wall_thickness"])


def test_every_field_has_unit_default_range_and_description():
    for name in load_all():
        schema = load_all().get(name).schema
        for field, info in schema.model_fields.items():
            assert info.description, field
            assert isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("unit"), field
            numeric = info.annotation in (int, float)
            if numeric:
                kinds = {type(m).__name__ for m in info.metadata}
                assert kinds & {"Ge", "Gt"} and kinds & {"Le", "Lt"}, f"{field} has no range"
        schema()  # defaults validate
        assert validate(schema, {}, "defaults").rules() == []
