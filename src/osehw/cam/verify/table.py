"""The parsed moves of a program as columns (numpy arrays), so every check runs over all moves at once.

One row per :class:`~osehw.cam.verify.parse.ParsedMove`, same fields, same units
[mm, rad, mm/min, rpm]; ``kind`` is coded 0 rapid, 1 feed, 2 arc. The checks in
:mod:`osehw.cam.verify.program`, :mod:`osehw.cam.verify.timing` and
:mod:`osehw.cam.verify.sweep` read these columns; :meth:`MoveTable.moves` gives the
moves back as objects for whoever wants them one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from osehw.cam.verify.parse import ParsedMove

KINDS = ("rapid", "feed", "arc")
RAPID, FEED, ARC = 0, 1, 2
_CODE = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True, eq=False)
class MoveTable:
    line: np.ndarray  # (n,) int
    kind: np.ndarray  # (n,) int8: RAPID, FEED, ARC
    start: np.ndarray  # (n, 3) [mm], NaN where never commanded
    end: np.ndarray  # (n, 3) [mm]
    feed: np.ndarray  # (n,) [mm/min]
    spindle_on: np.ndarray  # (n,) bool
    spindle_rpm: np.ndarray  # (n,)
    center: np.ndarray  # (n, 2) [mm], arcs only
    sweep: np.ndarray  # (n,) [rad], signed, arcs only
    r_start: np.ndarray  # (n,) [mm]
    r_end: np.ndarray  # (n,) [mm]
    stop_before: np.ndarray  # (n,) bool
    home_z: np.ndarray  # (n,) bool

    def __len__(self) -> int:
        return len(self.line)

    @property
    def known(self) -> np.ndarray:
        """(n,) bool: start and end fully known (as ParsedMove.known)."""
        return ~(np.isnan(self.start).any(axis=1) | np.isnan(self.end).any(axis=1))

    @staticmethod
    def from_moves(moves: Sequence[ParsedMove]) -> MoveTable:
        n = len(moves)
        if not n:
            return MoveTable.empty()
        return MoveTable(
            line=np.fromiter((m.line for m in moves), np.int64, n),
            kind=np.fromiter((_CODE[m.kind] for m in moves), np.int8, n),
            start=np.array([m.start for m in moves], dtype=float).reshape(n, 3),
            end=np.array([m.end for m in moves], dtype=float).reshape(n, 3),
            feed=np.fromiter((m.feed for m in moves), float, n),
            spindle_on=np.fromiter((m.spindle_on for m in moves), bool, n),
            spindle_rpm=np.fromiter((m.spindle_rpm for m in moves), float, n),
            center=np.array([m.center for m in moves], dtype=float).reshape(n, 2),
            sweep=np.fromiter((m.sweep for m in moves), float, n),
            r_start=np.fromiter((m.r_start for m in moves), float, n),
            r_end=np.fromiter((m.r_end for m in moves), float, n),
            stop_before=np.fromiter((m.stop_before for m in moves), bool, n),
            home_z=np.fromiter((m.home_z for m in moves), bool, n),
        )

    @staticmethod
    def empty() -> MoveTable:
        z = np.zeros(0)
        return MoveTable(np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros((0, 3)), np.zeros((0, 3)), z,
                         np.zeros(0, bool), z, np.zeros((0, 2)), z, z, z, np.zeros(0, bool), np.zeros(0, bool))

    def moves(self) -> list[ParsedMove]:
        """The rows as ParsedMove objects (floats and tuples, as the parser makes them)."""
        # parse.py builds tables: imported here, not at the top
        from osehw.cam.verify.parse import ParsedMove

        cols = zip(self.line.tolist(), self.kind.tolist(), map(tuple, self.start.tolist()),
                   map(tuple, self.end.tolist()), self.feed.tolist(), self.spindle_on.tolist(),
                   self.spindle_rpm.tolist(), map(tuple, self.center.tolist()), self.sweep.tolist(),
                   self.r_start.tolist(), self.r_end.tolist(), self.stop_before.tolist(), self.home_z.tolist())
        return [ParsedMove(line=ln, kind=KINDS[k], start=s, end=e, feed=f, spindle_on=on, spindle_rpm=rpm, center=c,
                           sweep=sw, r_start=rs, r_end=re_, stop_before=stop, home_z=hz)
                for ln, k, s, e, f, on, rpm, c, sw, rs, re_, stop, hz in cols]


def as_table(moves: Sequence[ParsedMove] | MoveTable) -> MoveTable:
    """``moves`` as a MoveTable (itself when it is one)."""
    return moves if isinstance(moves, MoveTable) else MoveTable.from_moves(moves)
