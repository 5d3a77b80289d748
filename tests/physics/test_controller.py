"""MPPT controller fit: Voc at the record low (NEC 690.7), current (NEC 690.8), start voltage."""

import pytest

from osehw.catalog import power
from osehw.physics.controller import check_layout, layout, series_range, vmp_hot, voc_at

CS6U = power.modules()["cs6u-330p"]


def test_voc_rises_in_the_cold_by_the_cec_coefficient():
    # CEC: Voc 45.6 V, β −0.142226 V/K → at −22 °C: 45.6 + 0.142226 × 47 = 52.285 V
    assert voc_at(CS6U, -22.0) == pytest.approx(52.2846, abs=1e-3)


def test_string_lengths_for_a_150_v_controller_on_a_24_v_bank():
    ctrl = power.controllers()["victron-mppt-150-35"]
    # longest: floor(150 / 52.285) = 2; shortest: 24 V absorption 28.8 V + 5 V = 33.8 V over Vmp at 70 °C
    assert vmp_hot(CS6U) == pytest.approx(37.2 * (1 - 0.142226 / 45.6 * 45), abs=1e-6)  # 31.98 V
    assert list(series_range(CS6U, ctrl, 24, -22.0)) == [2]
    lay = layout(CS6U, 6, ctrl, 24, -22.0)
    assert (lay.series, lay.strings_per_controller, lay.controllers) == (2, 3, 1)
    assert lay.controller_isc_a == pytest.approx(3 * 1.25 * 9.45)  # 35.4 A ≤ 40 A
    assert check_layout(CS6U, lay, 24, -22.0) == []


def test_a_colder_record_low_or_too_many_strings_breaks_the_controller():
    ctrl = power.controllers()["victron-mppt-75-15"]
    # one module on a 75/15 at 12 V is fine; two in series give 2 × 52.3 V > 75 V at −22 °C
    assert layout(CS6U, 1, ctrl, 12, -22.0).series == 1
    assert layout(CS6U, 2, ctrl, 12, -22.0).controllers == 2  # two strings exceed 15 A: a second controller
    lay = layout(CS6U, 1, ctrl, 12, -22.0)
    from dataclasses import replace

    broken = check_layout(CS6U, replace(lay, series=2, strings_per_controller=2), 12, -22.0)
    assert any("over victron-mppt-75-15's 75 V" in b for b in broken)
    assert any("NEC 690.8" in b for b in broken)


def test_catalog_modules_equal_pvlib_cec_database():
    import pvlib

    cec = pvlib.pvsystem.retrieve_sam("CECMod")
    for module in power.modules().values():
        row = cec[module.cec_name.replace(" ", "_").replace("-", "_").replace(".", "_")]
        assert (module.stc_w, module.voc_v, module.isc_a, module.vmp_v, module.imp_a) == pytest.approx(
            (row.STC, row.V_oc_ref, row.I_sc_ref, row.V_mp_ref, row.I_mp_ref))
        assert module.beta_voc_v_per_k == pytest.approx(row.beta_oc)
        assert module.gamma_pmp_pct_per_k == pytest.approx(row.gamma_r)
