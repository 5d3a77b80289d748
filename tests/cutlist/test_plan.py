"""The 1-D cut plan against hand layouts, the area lower bound and an exhaustive optimum."""

import itertools
import random

import pytest

from osehw.cutlist.plan import Piece, plan_cuts


def pieces(*lengths):
    return [Piece(f"p{i}", length) for i, length in enumerate(lengths)]


def fits(plan) -> bool:
    """Every bar holds its pieces with a kerf between them after the trim (checked from the pieces alone)."""
    return all(plan.trim + sum(p.length for p in b.pieces) + plan.kerf * (len(b.pieces) - 1) <= b.bar_length + 1e-9
               for b in plan.bars)


def test_three_pieces_that_exactly_fill_a_bar_with_kerfs():
    # 6096 = 5 trim + 3 pieces + 2 kerfs of 3.2 → pieces of (6096 − 5 − 6.4) / 3 = 2028.2
    plan = plan_cuts("t", pieces(2028.2, 2028.2, 2028.2), 6096, kerf=3.2, trim=5)
    assert len(plan.bars) == 1 and plan.bars[0].offcut == pytest.approx(0.0, abs=1e-6)
    plan = plan_cuts("t", pieces(2028.3, 2028.2, 2028.2), 6096, kerf=3.2, trim=5)
    assert len(plan.bars) == 2


def test_a_piece_longer_than_a_bar_is_reported_not_planned():
    plan = plan_cuts("t", pieces(7000, 1000), 6096)
    assert [p.length for p in plan.too_long] == [7000] and len(plan.bars) == 1


def best_possible(lengths, bar, kerf, trim) -> int:
    """The fewest bars, by trying every assignment of pieces to bars (small inputs only)."""
    n = len(lengths)
    for bars in range(1, n + 1):
        for assignment in itertools.product(range(bars), repeat=n):
            loads = [[] for _ in range(bars)]
            for length, b in zip(lengths, assignment):
                loads[b].append(length)
            if all(not group or trim + sum(group) + kerf * (len(group) - 1) <= bar for group in loads):
                return bars
    return n


@pytest.mark.parametrize("seed", range(12))
def test_first_fit_decreasing_is_valid_and_within_its_proven_bound(seed):
    rng = random.Random(seed)
    lengths = [rng.choice([400, 750, 900, 1200, 1850, 2400, 3100]) + rng.randint(0, 50) for _ in range(rng.randint(3, 7))]
    plan = plan_cuts("t", pieces(*lengths), 6096, kerf=3.2, trim=5)
    assert fits(plan)
    assert sorted(p.length for b in plan.bars for p in b.pieces) == sorted(lengths)
    optimum = best_possible(lengths, 6096, 3.2, 5)
    assert plan.lower_bound <= optimum <= len(plan.bars) <= 11 / 9 * optimum + 6 / 9


def test_utilisation_is_piece_length_over_bought_length():
    plan = plan_cuts("t", pieces(3000, 3000, 1000), 6096, kerf=3.2, trim=5)
    assert len(plan.bars) == 2
    assert plan.utilisation == pytest.approx(7000 / (2 * 6096))
