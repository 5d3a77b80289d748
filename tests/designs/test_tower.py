import math

import pytest

from osehw import catalog
from osehw.core.params import ParamError, validate
from osehw.designs.tower import EDGE, SPLICE_GAP, bolt_count, leg_xy, section_count


@pytest.fixture(scope="module")
def tower_type():
    from osehw.designs import load_all

    return load_all().get("tower")


@pytest.fixture(scope="module")
def tower(tower_type):
    return tower_type.build(tower_type.schema())


def test_link_chooses_the_section_count(tower_type, tower):
    p = tower_type.schema()
    # 27.47 m needed (0.6·14.43 + 3.81 + 15); dishes 0.7 m above the lattice top (1.0 m mast − 0.3 m):
    # 8 sections reach 25.08 m, 9 reach 28.13 m
    assert section_count(p) == 9
    assert tower.summary["dish_height_m"] == pytest.approx(9 * 3.048 + 0.7)
    assert tower.summary["dish_height_m"] >= tower.summary["required_antenna_height_m"]
    assert section_count(tower_type.schema(sections=3)) == 3
    # no clutter: 0.6·14.43 + 3.81 = 12.47 m; 3 sections reach 9.84 m, 4 reach 12.89 m
    assert section_count(tower_type.schema(clutter_m=0.0)) == 4


def test_legs_taper_and_their_cut_length_is_the_slant_length(tower):
    # legs sit on an equilateral triangle: distance between legs = face width
    a, b = leg_xy(2000.0, 0), leg_xy(2000.0, 1)
    assert math.dist(a, b) == pytest.approx(2000.0)
    # section 2: its bottom at 3048 mm, top at 6096 mm of a 27 432 mm lattice tapering 2000 → 450 mm
    width = lambda z: 2000.0 + (450.0 - 2000.0) * z / 27432.0  # noqa: E731
    lean = (width(3048) - width(6096)) / math.sqrt(3)
    slant = math.hypot(3048.0, lean)
    legs = {p.name: p for p in tower.stock_parts}
    assert legs["leg-s2"].length == pytest.approx(slant - SPLICE_GAP, abs=0.1)
    assert legs["leg-s1"].length == pytest.approx(slant - SPLICE_GAP / 2, abs=0.1)  # the base end is whole
    assert legs["leg-s2"].quantity == 3
    for part in tower.stock_parts:
        bar = catalog.stock_profile(part.profile).bar_length
        assert 0 < part.length <= bar, part.name
        for pos, dia in part.holes:
            assert EDGE - 1e-6 <= pos <= part.length - EDGE + 1e-6, (part.name, pos)
            assert dia == pytest.approx(11.0)


def test_every_brace_is_in_the_cut_list(tower):
    # zig-zag: one diagonal per panel per face, 4 panels × 3 faces × 9 sections, and 3 horizontals at the top
    parts = tower.stock_parts
    diagonals = sum(p.quantity for p in parts if p.name.startswith("diagonal"))
    horizontals = sum(p.quantity for p in parts if p.name.startswith("horizontal"))
    assert diagonals == 4 * 3 * 9 and horizontals == 3
    frame_braces = [m for m in tower.frame.members if m.role in ("diagonal", "horizontal")]
    assert len(frame_braces) == diagonals + horizontals
    tabs = next(p for p in parts if p.name == "gusset-tab")
    assert tabs.quantity == 2 * len(frame_braces)
    bolts = next(i for i in tower.purchased if i.catalog_id == "bolt-m10x80-ss-set")
    # 5 splice bolts on each end of each of 3 legs at 8 joints
    assert bolts.quantity == bolt_count(9, tabs.quantity, 5) == 2 * tabs.quantity + 2 * 5 * 3 * 8 + 3 + 12 + 2 + 6
    splice = next(p for p in parts if p.name == "splice-plate")
    assert splice.quantity == 2 * 3 * 8 and len(splice.holes) == 10
    assert splice.length == pytest.approx(2 * (20 + 4 * 40 + 20) + 10)
    # a brace stops short of each leg so its tube clears the leg: the cut is shorter than the centre line
    longest = max((p for p in parts if p.name.startswith("diagonal")), key=lambda p: p.length)
    centre = max(math.dist(tower.frame.nodes[m.i], tower.frame.nodes[m.j]) for m in frame_braces)
    assert centre - 200 < longest.length < centre - 2 * (25.4 + 19.05)


def test_plates_go_to_cam_and_lie_flat(tower):
    names = {p.name: p for p in tower.sheet_parts}
    assert set(names) == {"base-plate", "mast-top-plate", "mast-guide-plate"}
    # the dish mounts' plates go to CAM with them, named by the child
    assert {p.name: p.quantity for p in tower.all_sheet_parts() if p.name.startswith("dish-mount/")} == {
        "dish-mount/pipe-plate": 2, "dish-mount/tilt-arm": 2}
    assert names["base-plate"].quantity == 3
    for part in names.values():
        bb = part.solid.BoundingBox()
        assert bb.zmin == pytest.approx(0.0, abs=1e-6) and bb.zlen == pytest.approx(6.35, abs=1e-6)


def test_assembly_members_do_not_touch(tower):
    from osehw.analyses.geometry import assembly_solids, interferences

    solids = assembly_solids(tower.assembly)
    # per section: legs, three faces of braces; the mast; each dish mount's pipe plate and tilt arm
    assert len(solids) == 4 * 9 + 1 + 2 * 2
    assert interferences(solids) == []


@pytest.mark.parametrize("values, field, words", [
    ({"top_face_width": 900.0, "base_face_width": 600.0}, "top_face_width", "must not exceed base_face_width"),
    ({"leg_profile": "tube-6061-50.8x6.3"}, "leg_profile", "did you mean 'tube-6061-50.8x6.35'"),
    ({"leg_profile": "angle-6061-38.1x4.76"}, "leg_profile", "is not a known leg profile"),
    ({"hop_km": 80.0, "clutter_m": 40.0}, "sections", "more than 16"),
    ({"panels_per_section": 8, "top_face_width": 250.0, "section_length": 2000.0}, "panels_per_section",
     "long once its ends clear the legs"),
    # six mounts, three levels of 164 mm plates 50 mm apart hanging from a dish node level with the lattice's
    # top (0.3 m mast): 2 · 214 + 82 = 510 mm below it, 50 more to clear it
    ({"sections": 2, "dish_count": 6, "mast_above": 300.0}, "mast_above", "6 dish mounts 560 mm too low"),
    ({"mast_profile": "tube-6061-25.4x3.175"}, "mount.pipe", "no U-bolt fits its 25.4 mm OD"),
    ({"dish": "rocketdish-5g30", "mount": "designs/tower.yaml"}, "mount", "is a tower design, not an antenna-mount"),
])
def test_bad_parameters_are_refused_with_a_rule(tower_type, values, field, words):
    with pytest.raises(ParamError) as err:
        validate(tower_type.schema, values, "tower.yaml")
    line = "\n".join(err.value.lines())
    assert f"tower.yaml: {field} = " in line and words in line, line


@pytest.mark.parametrize("bracing", ["X", "K"])
def test_other_bracings_build_without_touching_tubes(tower_type, bracing):
    import itertools

    from osehw.analyses.geometry import assembly_solids, interferences

    tower = tower_type.build(tower_type.schema(bracing=bracing, sections=2))
    solids = assembly_solids(tower.assembly)
    assert interferences(solids) == []
    # inside one face's solid too: X diagonals cross one outside the other, K diagonals stop short of the
    # horizontal they meet
    face = next(s for n, s in solids if n == "braces-s1-face0")
    tubes = list(face.Solids())
    assert len(tubes) == {"X": 2 * 4, "K": 3 * 4}[bracing]
    assert all(a.intersect(b).Volume() < 1e-3 for a, b in itertools.combinations(tubes, 2))


def test_found_by_the_declared_space_test(tower_type):
    # a hill of 7 cm is not a hill: refused before any wind is computed
    with pytest.raises(ParamError) as err:
        validate(tower_type.schema, {"topography": 3, "crest_height_m": 0.073}, "tower.yaml")
    assert "crest_height_m = 0.073: topographic category 3 needs a hill" in err.value.lines()[0]
    # one panel per 4.9 m section under a 0.3 m top: braces almost along the legs; their tubes must clear the
    # legs (or the rule refuses the geometry), never pass through them
    values = {"sections": 6, "section_length": 4932.7, "panels_per_section": 1, "base_face_width": 2073.7,
              "top_face_width": 300.0, "leg_profile": "pipe-6061-48.3x3.68", "brace_profile": "pipe-6061-48.3x3.68"}
    try:
        params = validate(tower_type.schema, values, "tower.yaml")
    except ParamError as exc:
        assert "long once its ends clear the legs" in exc.lines()[0]
        return
    from osehw.analyses.geometry import assembly_solids, interferences

    assert interferences(assembly_solids(tower_type.build(params).assembly)) == []


def test_dish_appurtenances_carry_the_mount_loads(tower):
    mount = tower.children["dish-mount"]
    (load,) = mount.loads
    dishes = [a for a in tower.frame.appurtenances if a.name.startswith("dish-")]
    assert len(dishes) == 2 and {a.node for a in dishes} == {"MAST@28132.0"}
    # two mounts: each dish's EPA and weight are half the mount's load (dish and bracket)
    assert sum(a.epa_m2 for a in dishes) == pytest.approx(load.wind_area_m2)
    assert sum(a.weight_kg for a in dishes) == pytest.approx(load.weight_kg)
    # by hand: EPA = Ca·A = 1.5 · π/4 · 1.05² (TIA-222-H, bom/dishes.csv); weight 9.8 kg + the two plates
    assert dishes[0].epa_m2 == pytest.approx(1.5 * math.pi / 4 * 1.05 ** 2, abs=1e-4)
    plates_kg = sum(p.solid.Volume() for p in mount.sheet_parts) * 2700e-9
    assert dishes[0].weight_kg == pytest.approx(9.8 + plates_kg, abs=2e-3)
    # the mount takes the tower's mast, count, dish height and wind
    s = mount.summary
    assert s["pipe"] == "pipe-6061-73.0x5.16" and load.height == pytest.approx(28132.0)
    assert s["strength"]["wind_n"] > 0 and all(f.severity == "info" for f in mount.findings)


def test_a_mount_file_that_contradicts_the_tower_is_refused(tower_type, tmp_path):
    path = tmp_path / "small-mount.yaml"
    path.write_text("design: antenna-mount\nparams:\n  pipe: pipe-6061-48.3x3.68\n  dish: rocketdish-5g30\n")
    with pytest.raises(ParamError) as err:
        validate(tower_type.schema, {"mount": str(path)}, "tower.yaml")
    line = "\n".join(err.value.lines())
    assert "tower.yaml: mount = " in line and "its pipe pipe-6061-48.3x3.68 is not the tower's pipe-6061-73.0x5.16" \
        in line and "its dish rocketdish-5g30 is not the tower's rocketdish-5g34" in line, line
    # a file that leaves them out takes the tower's
    path.write_text("design: antenna-mount\nparams:\n  slot_radius: 120\n")
    (kind, params), = validate(tower_type.schema, {"mount": str(path), "dish": "rocketdish-5g30"},
                               "tower.yaml").nested().values()
    assert (params.pipe, params.dish, params.slot_radius, params.count) == (
        "pipe-6061-73.0x5.16", "rocketdish-5g30", 120.0, 2)


def test_carried_loads_sit_at_the_nearest_mast_or_leg_node(tower_type):
    from osehw.core.design import Load
    from osehw.designs.tower import build_tower

    p = tower_type.schema(sections=2, dish_count=0)
    bare = build_tower(p)
    box = Load("enclosure", weight_kg=30.0, wind_area_m2=0.4, height=2300.0)
    top = Load("beacon", weight_kg=1.0, wind_area_m2=0.01, height=99_000.0)
    carried = build_tower(p, carried=[box, top, box])
    added = carried.frame.appurtenances[len(bare.frame.appurtenances):]
    # panel points every 762 mm: 2286 is nearest 2300 (leg 0 first by name); the beacon at the mast's top
    assert [(a.name, a.node, a.weight_kg, a.epa_m2) for a in added] == [
        ("enclosure", "L0@2286.0", 30.0, 0.4), ("beacon", "MAST@7096.0", 1.0, 0.01),
        ("enclosure (2)", "L0@2286.0", 30.0, 0.4)]
    assert not bare.children and not bare.frame.appurtenances
