"""Engraved part labels: a single-stroke font and the v-bit moves that cut it.

The font is this project's own: each glyph is a few polylines on a 4 × 6
unit grid (cap height 6 units, advance 6 units = glyph 4 + gap 2), in the
spirit of Hershey's single-stroke "simplex" fonts but drawn for a router:
straight segments and chamfered corners only, so a v-bit follows it with
lines (no arcs) and nothing is cut twice except where strokes cross.
"""

from __future__ import annotations

from osehw.cam.ops.moves import Line, Move, Operation, Rapid
from osehw.cam.shop import FeedsAndSpeeds
from osehw.core.errors import OsehwError

Point = tuple[float, float]
Stroke = tuple[Point, ...]

CAP_UNITS = 6.0  # glyph height in grid units
GLYPH_UNITS = 4.0  # glyph width in grid units
ADVANCE_UNITS = 6.0  # pen advance per character in grid units

_O = ((1, 0), (0, 1), (0, 5), (1, 6), (3, 6), (4, 5), (4, 1), (3, 0), (1, 0))
_P = ((0, 0), (0, 6), (3, 6), (4, 5), (4, 4), (3, 3), (0, 3))

_GLYPHS: dict[str, tuple[Stroke, ...]] = {
    "A": (((0, 0), (2, 6), (4, 0)), ((1, 3), (3, 3))),
    # one stroke: middle bar, upper bowl, spine, lower bowl back to the bar
    "B": (((0, 3), (3, 3), (4, 4), (4, 5), (3, 6), (0, 6), (0, 0), (3, 0), (4, 1), (4, 2),
           (3, 3)),),
    "C": (((4, 5), (3, 6), (1, 6), (0, 5), (0, 1), (1, 0), (3, 0), (4, 1)),),
    "D": (((0, 0), (0, 6), (2, 6), (4, 4), (4, 2), (2, 0), (0, 0)),),
    "E": (((4, 6), (0, 6), (0, 0), (4, 0)), ((0, 3), (3, 3))),
    "F": (((4, 6), (0, 6), (0, 0)), ((0, 3), (3, 3))),
    "G": (((4, 5), (3, 6), (1, 6), (0, 5), (0, 1), (1, 0), (3, 0), (4, 1), (4, 3), (2, 3)),),
    "H": (((0, 0), (0, 6)), ((4, 0), (4, 6)), ((0, 3), (4, 3))),
    "I": (((1, 6), (3, 6)), ((2, 6), (2, 0)), ((1, 0), (3, 0))),
    "J": (((4, 6), (4, 1), (3, 0), (1, 0), (0, 1)),),
    "K": (((0, 0), (0, 6)), ((4, 6), (0, 2)), ((1, 3), (4, 0))),
    "L": (((0, 6), (0, 0), (4, 0)),),
    "M": (((0, 0), (0, 6), (2, 3), (4, 6), (4, 0)),),
    "N": (((0, 0), (0, 6), (4, 0), (4, 6)),),
    "O": (_O,),
    "P": (_P,),
    "Q": (_O, ((2, 2), (4, 0))),
    "R": (_P, ((2, 3), (4, 0))),
    "S": (((4, 5), (3, 6), (1, 6), (0, 5), (0, 4), (1, 3), (3, 3), (4, 2), (4, 1), (3, 0),
           (1, 0), (0, 1)),),
    "T": (((0, 6), (4, 6)), ((2, 6), (2, 0))),
    "U": (((0, 6), (0, 1), (1, 0), (3, 0), (4, 1), (4, 6)),),
    "V": (((0, 6), (2, 0), (4, 6)),),
    "W": (((0, 6), (1, 0), (2, 4), (3, 0), (4, 6)),),
    "X": (((0, 0), (4, 6)), ((0, 6), (4, 0))),
    "Y": (((0, 6), (2, 3), (4, 6)), ((2, 3), (2, 0))),
    "Z": (((0, 6), (4, 6), (0, 0), (4, 0)),),
    "0": (_O, ((0, 1), (4, 5))),
    "1": (((1, 5), (2, 6), (2, 0)), ((1, 0), (3, 0))),
    "2": (((0, 5), (1, 6), (3, 6), (4, 5), (4, 4), (0, 0), (4, 0)),),
    "3": (((0, 5), (1, 6), (3, 6), (4, 5), (4, 4), (3, 3), (4, 2), (4, 1), (3, 0), (1, 0),
           (0, 1)), ((1, 3), (3, 3))),
    "4": (((3, 0), (3, 6), (0, 2), (4, 2)),),
    "5": (((4, 6), (0, 6), (0, 3), (3, 3), (4, 2), (4, 1), (3, 0), (0, 0)),),
    "6": (((4, 5), (3, 6), (1, 6), (0, 5), (0, 1), (1, 0), (3, 0), (4, 1), (4, 2), (3, 3),
           (0, 3)),),
    "7": (((0, 6), (4, 6), (1, 0)),),
    "8": (((1, 3), (0, 4), (0, 5), (1, 6), (3, 6), (4, 5), (4, 4), (3, 3), (1, 3), (0, 2),
           (0, 1), (1, 0), (3, 0), (4, 1), (4, 2), (3, 3)),),
    "9": (((0, 1), (1, 0), (3, 0), (4, 1), (4, 5), (3, 6), (1, 6), (0, 5), (0, 4), (1, 3),
           (4, 3)),),
    "-": (((1, 3), (3, 3)),),
    "_": (((0, 0), (4, 0)),),
    # A dot is a short dash: a v-bit needs some travel to leave a visible mark.
    ".": (((1.5, 0), (2.5, 0)),),
    "/": (((0, 0), (4, 6)),),
    " ": (),
}

CHARACTERS = "".join(sorted(_GLYPHS))


class EngraveError(OsehwError, ValueError):
    """A label that cannot be engraved as asked."""


def _check_text(text: str) -> str:
    upper = text.upper()
    bad = sorted({ch for ch in upper if ch not in _GLYPHS})
    if bad:
        raise EngraveError(
            f"label '{text}': no glyph for {', '.join(repr(c) for c in bad)}; "
            f"the engraving font has A-Z, 0-9 and {' '.join(repr(c) for c in '-_./ ')}"
        )
    return upper


def label_bounds(text: str, height: float) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) [mm] of the strokes of ``text`` at cap ``height`` [mm].

    All zeros for a label with nothing to cut (empty or spaces).
    """
    points = [p for stroke in label_strokes(text, height) for p in stroke]
    if not points:
        return 0.0, 0.0, 0.0, 0.0
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def label_strokes(text: str, height: float) -> list[list[tuple[float, float]]]:
    """Polylines [mm] that write ``text`` with capitals of ``height`` [mm].

    The first character's cell starts at x = 0, the baseline is y = 0;
    lowercase letters are engraved as capitals. Each character advances
    height × 1.0 (6 grid units at 6 units per cap height).
    """
    if height <= 0:
        raise EngraveError(f"label '{text}': height {height} mm must be > 0")
    upper = _check_text(text)
    scale = height / CAP_UNITS
    strokes: list[list[tuple[float, float]]] = []
    for index, ch in enumerate(upper):
        x0 = index * ADVANCE_UNITS
        for stroke in _GLYPHS[ch]:
            strokes.append([((x0 + x) * scale, y * scale) for x, y in stroke])
    return strokes


def _chains(strokes: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Join strokes that start where the previous one ended, so the tool stays down."""
    chains: list[list[tuple[float, float]]] = []
    for stroke in strokes:
        if chains and _close(chains[-1][-1], stroke[0]):
            chains[-1].extend(stroke[1:])
        else:
            chains.append(list(stroke))
    return chains


def _close(a: tuple[float, float], b: tuple[float, float], tol: float = 1e-9) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


def engrave_operation(
    part: str,
    text: str,
    x: float,
    y: float,
    height: float,
    depth: float,
    tool_id: str,
    feeds: FeedsAndSpeeds,
    safe_z: float = 5.0,
) -> Operation:
    """An "engrave" operation writing ``text`` with its lower-left at (x, y) [mm].

    Each stroke: rapid over its start at ``safe_z`` [mm], plunge at
    ``feeds.plunge`` to -``depth`` [mm], cut at ``feeds.feed``, retract to
    ``safe_z``. With a 90° v-bit the groove is 2 × depth wide (cone geometry:
    width = 2·depth·tan(45°)), so 0.5 mm deep gives a 1 mm line, legible from
    about 5 mm cap height up.
    """
    if depth <= 0:
        raise EngraveError(f"{part}: label '{text}' depth {depth} mm must be > 0")
    if safe_z <= 0:
        raise EngraveError(f"{part}: label '{text}' safe Z {safe_z} mm must be above the stock")
    moves: list[Move] = [Rapid(z=safe_z)]
    for chain in _chains(label_strokes(text, height)):
        (sx, sy), rest = chain[0], chain[1:]
        moves.append(Rapid(x + sx, y + sy, None))
        moves.append(Line(None, None, -depth, feeds.plunge))
        for px, py in rest:
            moves.append(Line(x + px, y + py, None, feeds.feed))
        moves.append(Rapid(z=safe_z))
    return Operation(
        kind="engrave",
        part=part,
        feature=f"label {text.upper()}",
        tool=tool_id,
        depth=depth,
        moves=tuple(moves),
        spindle_rpm=feeds.rpm,
    )
