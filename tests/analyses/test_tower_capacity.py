"""Our checks against a tower maker's published figures: the antenna a ROHN 25G-like steel lattice carries."""

import pytest

from osehw.analyses.tower_capacity import allowed_epa_m2, prismatic_lattice
from osehw.core.frame import WindCase
from osehw.physics.wind import fastest_mile_to_3s_gust_mph, mph_to_m_s

FT = 304.8
FT2 = 0.09290304
# ROHN Products, "SS Self-Supporting Towers, G Series", catalog © 2009 (EIA-222-F, allowable antenna areas,
# 70 mph fastest-mile, no ice, "antenna areas assume all round antenna members"): 25G at 30 ft 6.4 ft², 40 ft
# 1.5 ft²; ROHN drawing A871266RI (1987) gives the same 1.5 ft² at 40 ft with one 5/8 in line per face.
ROHN_25G_FT2 = {30: 6.4, 40: 1.5}


def rohn_25g(height_ft: float, epa_m2: float):
    # 25G: 12.5 in face, legs 1-1/4 in × 0.065 in 50 ksi tube, 5/16 in rod zig-zag at 12 in panels (10 per 10 ft
    # section: 36 lb of tube and rod, ROHN's ~40 lb with the hardware), fixed base, one 5/8 in line per face
    wind = WindCase(mph_to_m_s(fastest_mile_to_3s_gust_mph(70.0)), 26.8, "C")
    return prismatic_lattice(height_ft * FT, 12.5 * 25.4, 10 * FT, 10, "rohn25g-leg", "rohn25g-rod", "steel-50ksi",
                             wind, epa_m2, fixity="fixed", line_diameter=0.625 * 25.4)


@pytest.mark.parametrize("height_ft, guess", [(30, 1.3), (40, 0.5)])
def test_rohn_25g_allowed_antenna_area_within_a_factor_of_the_catalog(height_ft, guess):
    epa = allowed_epa_m2(lambda e: rohn_25g(height_ft, e), guess)
    # ROHN's areas are of round members; TIA-222-H takes Ca = 1.2 for them, so our allowed area is EPA / 1.2
    ours_ft2 = epa / 1.2 / FT2
    ratio = ours_ft2 / ROHN_25G_FT2[height_ft]
    # measured 12.0 ft² (×1.87) at 30 ft and 4.5 ft² (×2.98) at 40 ft. Never below the catalog: EIA-222-F works
    # in allowable stress (0.6·Fy × 4/3 = 0.8·Fy against 0.9·Fy here) and with a larger gust factor (1.23 at
    # 40 ft against 0.85), about 1.5× more demand per square foot; at 40 ft the bare tower already takes most of
    # the leg's capacity, so the antenna's remaining share differs by more. Within ×3.5 of the maker's figure.
    assert 1.0 < ratio < 3.5, (height_ft, ours_ft2)


def test_allowed_area_stops_where_the_utilisation_reaches_one(monkeypatch):
    # a stand-in frame whose utilisation is linear in the antenna area, u = 0.4 + 0.3·EPA: allowed 2.0 m²
    import osehw.analyses.tower_capacity as tc

    asked = []
    monkeypatch.setattr(tc, "max_utilisation", lambda frame: 0.4 + 0.3 * frame)
    assert tc.allowed_epa_m2(lambda e: asked.append(e) or e, 0.5) == pytest.approx(2.0, abs=1e-3 / 0.3)
    assert asked[:2] == [0.0, 0.5]
    monkeypatch.setattr(tc, "max_utilisation", lambda frame: 1.2)
    assert tc.allowed_epa_m2(lambda e: e) == 0.0  # the bare frame already fails
