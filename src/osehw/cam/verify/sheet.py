"""The geometric proof for a whole sheet: every program's full-depth sweep, unioned.

A sheet is cut by several programs (one per tool): a part's holes may be
drilled by one, its outline by another. Each program is checked alone by
:func:`osehw.cam.verify.program.verify_program` (dialect, envelope, safe Z, spindle,
depth, feeds, arcs, time); the proof that every through-outline is cut and no
part is gouged needs the union of what all of them removed. Like the per-program
checks, it reads only the program text back.
"""

from __future__ import annotations

from collections.abc import Sequence

import shapely

from osehw.cam.shop import Machine
from osehw.cam.verify.parse import FindingLog, parse_program
from osehw.cam.verify.program import FULL_DEPTH_TOLERANCE, PartRegion
from osehw.cam.verify.sweep import check_parts, full_depth_pieces, swept_region
from osehw.core.findings import Finding


def prove_sheet(programs: Sequence[tuple[str, float]], machine: Machine, *, dialect: str, stock_thickness: float,
                parts: Sequence[PartRegion], max_tab_length: float, subject: str,
                third_party: bool = False) -> list[Finding]:
    """GCODE_GOUGE / GCODE_UNCUT findings for the programs (text, tool diameter [mm]) that cut one sheet."""
    top = 0.0 if machine.z_zero == "stock_top" else stock_thickness
    bottom = top - stock_thickness
    log = FindingLog(subject)
    sweeps, all_pieces, radii = [], [], []
    for text, diameter in programs:
        parsed = parse_program(text, dialect, FindingLog(subject), third_party=third_party)  # syntax findings belong to verify_program
        pieces = full_depth_pieces(parsed.moves, bottom + FULL_DEPTH_TOLERANCE)
        sweeps.append(swept_region(pieces, diameter / 2.0))
        all_pieces.extend(pieces)
        radii.append(diameter / 2.0)
    swept = shapely.union_all(sweeps) if sweeps else shapely.Polygon()
    check_parts(swept, all_pieces, parts, min(radii, default=1.0), max_tab_length, log)
    return log.result()
