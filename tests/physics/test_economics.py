"""Economics: the capital recovery factor, annualised cost and cost per subscriber-year by hand."""

import pytest

from osehw.physics import economics as econ


def test_crf_by_hand_and_as_the_annuity_whose_present_value_is_one():
    # 5 %, 20 years: 1.05^20 = 2.653297705; 0.05 · 2.653297705 / 1.653297705 = 0.0802426 (interest tables: 0.08024)
    assert econ.crf(0.05, 20) == pytest.approx(0.0802426, abs=1e-7)
    for rate, years in ((0.05, 20), (0.07, 10), (0.02, 30), (0.1, 5)):
        present = sum(econ.crf(rate, years) / (1 + rate) ** k for k in range(1, years + 1))
        assert present == pytest.approx(1.0, rel=1e-12)
    assert econ.crf(0.0, 8) == pytest.approx(1 / 8)
    with pytest.raises(ValueError):
        econ.crf(0.05, 0)


LINES = [econ.Line("radio", 1000.0, 10.0), econ.Line("crew", 500.0, 20.0, labour=True),
         econ.Line("bank", 800.0, 30.0, battery=True)]
RUNNING = econ.Running(labour_usd=100.0, fixed_usd=50.0, insurance_fraction=0.01)


def test_cost_per_subscriber_year_by_hand():
    case = econ.Case(rate=0.05, subscribers=10.0, battery_life_years=4.0)
    # CRF(5 %, 10) = 0.05·1.628894627/0.628894627 = 0.129504575; CRF(5 %, 20) = 0.080242587;
    # CRF(5 %, 4) = 0.05·1.21550625/0.21550625 = 0.282011833 (the bank at its own 4-year life, not the line's 30)
    annualised = 1000 * 0.129504575 + 500 * 0.080242587 + 800 * 0.282011833
    running = 100 + 50 + 0.01 * 2300
    assert econ.capital(LINES, case) == pytest.approx(2300.0)
    assert econ.annualised_capital(LINES, case) == pytest.approx(annualised, rel=1e-8)
    assert econ.cost_per_subscriber_year(LINES, RUNNING, case) == pytest.approx((annualised + running) / 10, rel=1e-8)


def test_labour_factor_scales_installation_and_maintenance_labour_only():
    base = econ.Case(rate=0.05, subscribers=10.0, battery_life_years=4.0)
    doubled = econ.Case(rate=0.05, subscribers=10.0, battery_life_years=4.0, labour_factor=2.0)
    extra = econ.annual_cost(LINES, RUNNING, doubled) - econ.annual_cost(LINES, RUNNING, base)
    # the crew line doubles (+500 annualised over 20 years, +5 insurance) and maintenance labour doubles (+100)
    assert extra == pytest.approx(500 * 0.080242587 + 0.01 * 500 + 100, rel=1e-8)


def test_sections_scale_the_lines_that_say_so():
    lines = [econ.Line("tower", 9000.0, 30.0, per_section_usd=1000.0), econ.Line("radio", 300.0, 10.0)]
    case = econ.Case(rate=0.05, subscribers=1.0, battery_life_years=5.0, extra_sections=-2)
    assert econ.capital(lines, case) == pytest.approx(7300.0)


def test_break_even_subscribers():
    assert econ.break_even_subscribers(4617.88, 25.0) == 185  # 184.7 → 185
    assert econ.break_even_subscribers(50.0, 25.0) == 2  # exactly two, not three


def test_tornado_moves_one_input_at_a_time_and_sorts_by_swing():
    base = econ.Case(rate=0.05, subscribers=100.0, battery_life_years=5.0)

    def out(case):
        return econ.cost_per_subscriber_year(LINES, RUNNING, case)

    bars = econ.tornado(out, base, {"rate": ("rate", 0.02, 0.1), "subs": ("subscribers", 50.0, 150.0)})
    assert [b.name for b in bars] == sorted([b.name for b in bars], key=lambda n: -next(
        x.swing for x in bars if x.name == n))
    subs = next(b for b in bars if b.name == "subs")
    assert subs.out_low == pytest.approx(out(base) * 2)  # half the subscribers, twice the cost each
    assert subs.out_high == pytest.approx(out(base) * 100 / 150)
