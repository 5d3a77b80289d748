"""The 1-D cutting-stock plan: pieces of one profile laid out on whole bars.

Pieces are placed end to end, one saw kerf apart, after a trim of each bar's
mill end. A piece's length is measured long point to long point, so a mitred
end needs no extra bar: the mitre's offcut lies inside that length.

The packing is first-fit decreasing, chosen over an exact solver because it
is instant, deterministic and provably close: it never uses more than
11/9·OPT + 6/9 bars (Dósa, "The tight bound of first fit decreasing
bin-packing algorithm is FFD(I) ≤ 11/9 OPT(I) + 6/9", ESCAPE 2007). The plan
also reports the area lower bound ⌈Σ(piece + kerf) / (bar − trim + kerf)⌉
(Martello & Toth, *Knapsack Problems*, 1990, §8.3 bound L1), so a reader sees
how far from the best possible it could be.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

KERF = 3.2  # saw blade kerf [mm]: 1/8 in carbide blades of mitre and cold saws cut ≈ 3.2 mm
MILL_END_TRIM = 5.0  # squared off each bar's mill-cut end before the first piece [mm]


@dataclass(frozen=True)
class Piece:
    name: str  # the part's qualified name
    length: float  # long point to long point [mm]
    index: int = 1  # 1-based copy number of the part


@dataclass(frozen=True)
class Bar:
    pieces: tuple[Piece, ...]
    used: float  # trim + pieces + kerfs [mm]
    bar_length: float

    @property
    def offcut(self) -> float:
        """What is left of the bar after the last cut [mm]."""
        return self.bar_length - self.used


@dataclass(frozen=True)
class CutPlan:
    profile: str
    bar_length: float
    kerf: float
    trim: float
    bars: tuple[Bar, ...]
    too_long: tuple[Piece, ...]  # longer than a bar less its trim: not planned

    @property
    def lower_bound(self) -> int:
        """⌈Σ(piece + kerf) / (bar − trim + kerf)⌉: no plan can use fewer bars (bound L1, see module notes)."""
        total = sum(p.length + self.kerf for b in self.bars for p in b.pieces)
        return math.ceil(total / (self.bar_length - self.trim + self.kerf) - 1e-9) if total else 0

    @property
    def utilisation(self) -> float:
        """Piece length over bought bar length."""
        bought = len(self.bars) * self.bar_length
        return sum(p.length for b in self.bars for p in b.pieces) / bought if bought else 0.0


def plan_cuts(profile: str, pieces: list[Piece], bar_length: float, kerf: float = KERF,
              trim: float = MILL_END_TRIM) -> CutPlan:
    """First-fit decreasing: longest piece first, each into the first bar it fits, ties by name."""
    room = bar_length - trim
    fitting = [p for p in pieces if p.length <= room + 1e-9]
    too_long = tuple(p for p in pieces if p.length > room + 1e-9)
    order = sorted(fitting, key=lambda p: (-p.length, p.name, p.index))
    bars: list[list[Piece]] = []
    used: list[float] = []  # trim + pieces + a kerf after each piece but the last
    for piece in order:
        for i, u in enumerate(used):
            if u + kerf + piece.length <= bar_length + 1e-9:
                bars[i].append(piece)
                used[i] = u + kerf + piece.length
                break
        else:
            bars.append([piece])
            used.append(trim + piece.length)
    return CutPlan(profile, bar_length, kerf, trim,
                   tuple(Bar(tuple(b), round(u, 6), bar_length) for b, u in zip(bars, used)), too_long)
