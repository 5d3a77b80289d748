"""LinuxCNC parameters and expressions, against values worked by hand from the LinuxCNC 2.9 manual's rules."""

from __future__ import annotations

import math

import pytest

from osehw.cam.verify.expressions import ExpressionError, substitute, uses_parameters


def test_settings_take_effect_after_the_line_and_names_ignore_case_and_spaces() -> None:
    params: dict[str, float] = {}
    assert substitute("#<x scale> = 2.0 (inch to ...)", params) == ""
    # "#1 = 5 #2 = #1": both settings read before either is set (manual, "Parameters")
    params["1"] = 1.0
    substitute("#1 = 5 #2 = #1", params)
    assert params["1"] == 5.0 and params["2"] == 1.0
    assert substitute("G1 X[#<XSCALE> * 10] Y-#1", params) == "G1X20.000000Y-5.000000"


def test_precedence_functions_and_degrees() -> None:
    params: dict[str, float] = {}
    # ** binds tighter than *, which binds tighter than +: 1 + 2·3² = 19
    assert substitute("G0 X[1 + 2 * 3 ** 2]", params) == "G0X19.000000"
    # 7 MOD 4 = 3; SIN[30] = 0.5 (degrees); ATAN[1]/[1] = 45
    assert substitute("G0 X[7 MOD 4] Y[SIN[30]] Z[ATAN[1]/[1]]", params) == "G0X3.000000Y0.500000Z45.000000"
    assert substitute("G0 X-[2 * 3] Y[ABS[-4] + FIX[2.7] + FUP[2.1]]", params) == "G0X-6.000000Y9.000000"
    assert substitute("G0 X[SQRT[2]]", params) == f"G0X{math.sqrt(2):.6f}"


def test_unset_parameters_read_zero_and_bad_expressions_say_where() -> None:
    assert substitute("G0 X#<never_set>", {}) == "G0X0.000000"
    with pytest.raises(ExpressionError, match="column"):
        substitute("G0 X[1 +]", {})
    with pytest.raises(ExpressionError):
        substitute("G0 X[1 / 0]", {})
    assert uses_parameters("G1 X[1]") and not uses_parameters("G1 X1 (a [note] #1)")
