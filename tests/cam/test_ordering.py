"""Cutting order: inside before outside, tools grouped, nearest neighbour + 2-opt (lengths by hand)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from osehw.cam.ops.moves import Line, Operation, Rapid
from osehw.cam.ordering import (
    check_order,
    op_endpoints,
    order_operations,
    travel_length,
)
from osehw.cam.shop import load_tools

TOOLS = load_tools()


def op(kind: str, part: str, feature: str, tool: str, x: float, y: float,
       x_end: float | None = None, y_end: float | None = None) -> Operation:
    """An operation entering at (x, y) and leaving at (x_end, y_end) (default: the same point)."""
    xe = x if x_end is None else x_end
    ye = y if y_end is None else y_end
    moves = (Rapid(z=5.0), Rapid(x, y, None), Line(None, None, -1.0, 100.0), Line(xe, ye, -1.0, 500.0),
             Rapid(z=5.0))
    return Operation(kind=kind, part=part, feature=feature, tool=tool, depth=1.0, moves=moves)


def test_endpoints_and_travel_length() -> None:
    a = op("drill", "p", "a", "drill-5", 3.0, 4.0)
    b = op("pocket", "p", "b", "em-6.35-2f-up", 6.0, 8.0, 10.0, 8.0)
    assert op_endpoints(b) == ((6.0, 8.0), (10.0, 8.0))
    # (3, 4) → (6, 8) is 5 mm; from the origin add another 5 mm.
    assert travel_length([a, b]) == pytest.approx(5.0)
    assert travel_length([a, b], start=(0.0, 0.0)) == pytest.approx(10.0)


def test_two_parts_every_outline_after_its_inside_features() -> None:
    ops = [
        op("profile_outside", "A", "outline", "em-6.35-2f-up", 0.0, 0.0),
        op("profile_outside", "B", "outline", "em-6.35-2f-up", 300.0, 0.0),
        op("drill", "A", "h1", "drill-5", 50.0, 50.0),
        op("helical_bore", "B", "h1", "em-6.35-2f-up", 350.0, 50.0),
        op("pocket", "A", "groove", "em-3.175-2f-up", 60.0, 60.0),
        op("engrave", "B", "label", "vbit-90", 320.0, 20.0),
        op("drill", "B", "h2", "drill-5", 360.0, 60.0),
    ]
    ordered = order_operations(ops, TOOLS)
    assert sorted(map(id, ordered)) == sorted(map(id, ops))
    assert check_order(ordered) == []
    assert check_order(ops) != []  # the input order cuts A's outline first
    # One program per tool, in the documented order: v-bit, drill, 3.175, 6.35.
    tools = [o.tool for o in ordered]
    runs = [t for k, t in enumerate(tools) if k == 0 or tools[k - 1] != t]
    assert runs == ["vbit-90", "drill-5", "em-3.175-2f-up", "em-6.35-2f-up"]
    # Within the 6.35 program the bore comes before both outlines.
    assert [o.kind for o in ordered[-3:]] == ["helical_bore", "profile_outside", "profile_outside"]


def test_conflicting_tool_needs_split_into_inside_then_outside_stages() -> None:
    # A's outline needs the small mill after its big-mill pocket; B the reverse.
    ops = [
        op("profile_outside", "A", "outline", "em-3.175-2f-up", 0.0, 0.0),
        op("pocket", "A", "p", "em-6.35-2f-up", 10.0, 10.0),
        op("profile_outside", "B", "outline", "em-6.35-2f-up", 100.0, 0.0),
        op("profile_inside", "B", "slot", "em-3.175-2f-up", 110.0, 10.0),
    ]
    ordered = order_operations(ops, TOOLS)
    assert check_order(ordered) == []
    assert [(o.part, o.kind) for o in ordered] == [
        ("B", "profile_inside"), ("A", "pocket"), ("A", "profile_outside"), ("B", "profile_outside")]


def test_or_opt_fixes_what_nearest_neighbour_and_two_opt_get_wrong() -> None:
    # From (10, 0), nearest neighbour visits x = 11 (1), 13 (2), 8 (5): 8 mm, and no run
    # reversal helps (13, 11, 8: 8; 11, 8, 13: 9; 8, 13, 11: 9). Moving 8 to the front
    # gives 8 (2), 11 (3), 13 (2): 7 mm, the optimum.
    ops = [op("drill", "p", f"h{x}", "drill-5", float(x), 0.0) for x in (13, 11, 8)]
    ordered = order_operations(ops, TOOLS, start=(10.0, 0.0))
    assert [o.feature for o in ordered] == ["h8", "h11", "h13"]
    assert travel_length(ordered, start=(10.0, 0.0)) == pytest.approx(7.0)
    # Input order 13, 11, 8: 3 + 2 + 3 = 8 mm.
    assert travel_length(ops, start=(10.0, 0.0)) == pytest.approx(8.0)
    assert travel_length(ordered) == pytest.approx(5.0)  # between operations only: 3 + 2


def test_scattered_holes_travel_shrinks_and_order_is_deterministic() -> None:
    rng = np.random.default_rng(7)
    pts = rng.uniform(0, 500, size=(60, 2))
    ops = [op("drill", "p", f"h{k}", "drill-5", float(x), float(y)) for k, (x, y) in enumerate(pts)]
    ordered = order_operations(ops, TOOLS)
    before = travel_length(ops, start=(0.0, 0.0))
    after = travel_length(ordered, start=(0.0, 0.0))
    # 60 uniform points in a 500 mm square: a random tour averages ~0.52·500 mm per leg
    # (≈ 15,600 mm); a good open tour is near 0.7·√(60·500²) ≈ 2,700 mm.
    assert before > 12000.0
    assert after < 0.25 * before
    assert after < 3600.0
    assert [o.feature for o in order_operations(ops, TOOLS)] == [o.feature for o in ordered]
    # No 2-opt move left that shortens the tour: reversing any run does not help.
    seq = [op_endpoints(o)[0] for o in ordered]
    best = sum(math.dist(a, b) for a, b in zip([(0.0, 0.0)] + seq, seq))
    for i in range(len(seq) - 1):
        for j in range(i + 1, len(seq)):
            alt = seq[:i] + seq[i:j + 1][::-1] + seq[j + 1:]
            assert sum(math.dist(a, b) for a, b in zip([(0.0, 0.0)] + alt, alt)) >= best - 1e-6


def test_without_tool_profiles_kinds_are_guessed() -> None:
    ops = [
        op("profile_outside", "A", "outline", "T2", 0.0, 0.0),
        op("engrave", "A", "label", "V", 5.0, 5.0),
        op("drill", "A", "h", "D", 9.0, 9.0),
    ]
    assert [o.tool for o in order_operations(ops)] == ["V", "D", "T2"]
