"""The materials catalog: one file per material, every fact in it, checked against published figures."""

import pytest

from osehw import catalog
from osehw.catalog.materials import CatalogError, read_material


def test_every_material_has_cutting_physical_and_stock_data():
    mats = catalog.materials()
    assert sorted(mats) == ["aluminium-6061", "hdpe", "plywood"]
    for m in mats.values():
        assert m.chipload and m.sheets and m.density_kg_m3 > 0 and m.heat_transfer_w_m2k > 0
        assert all(s.material == m.id and s.price_usd > 0 and s.source and s.source_date for s in m.sheets)


@pytest.mark.parametrize("material, low, high, source", [
    ("aluminium-6061", 2690, 2710, "ASM: 2.70 g/cm³"),
    ("hdpe", 940, 970, "ASTM D792 range for HDPE"),
    ("plywood", 400, 700, "softwood plywood, APA panel weights"),
])
def test_densities_are_the_published_ones(material, low, high, source):
    assert low <= catalog.material(material).density_kg_m3 <= high, source


def test_heat_transfer_coefficients_follow_the_enclosure_sizing_rule():
    # nVent Hoffman / Rittal: about 3.5 W/m²K for plastic walls, 12 for aluminium
    assert catalog.material("hdpe").heat_transfer_w_m2k == 3.5
    assert catalog.material("aluminium-6061").heat_transfer_w_m2k == 12.0


def test_a_priced_sheet_and_an_unpriced_thickness():
    hdpe = catalog.material("hdpe")
    assert hdpe.sheet(12.7).price_usd == 310.0 and hdpe.sheet_size(12.7) == (2440, 1220)
    assert hdpe.sheet(6.0) is None and hdpe.sheet_size(6.0) == (hdpe.sheet_x, hdpe.sheet_y)
    with pytest.raises(KeyError, match="did you mean|valid: 12.7, 19.05"):
        catalog.find_sheet("hdpe", 6.0)


def test_an_unknown_material_suggests_the_nearest():
    with pytest.raises(KeyError, match="did you mean 'plywood'"):
        catalog.material("plywod")


@pytest.mark.parametrize("body, message", [
    ("name: X\n", "chipload"),
    ("- a\n- b\n", "a material file is a mapping"),
    ("name: X\nname: Y\n", "line 2"),
])
def test_a_bad_material_file_names_the_file_and_field(tmp_path, body, message):
    path = tmp_path / "foam.yaml"
    path.write_text(body)
    with pytest.raises(CatalogError) as exc:
        read_material(path)
    assert str(path) in str(exc.value) and message in str(exc.value)
