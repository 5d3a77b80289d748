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
from osehw.cam.verify.parse import FindingLog, read_program
from osehw.cam.verify.program import FULL_DEPTH_TOLERANCE, PartRegion
from osehw.cam.verify.sweep import check_parts, full_depth_pieces, swept_region
from osehw.core.findings import Finding


def prove_sheet(programs: Sequence[tuple[str, float]], machine: Machine, *, dialect: str, stock_thickness: float,
                parts: Sequence[PartRegion], max_tab_length: float, subject: str,
                third_party: bool = False, stock: tuple[float, float] | None = None) -> list[Finding]:
    """GCODE_GOUGE / GCODE_UNCUT findings for the programs (text, tool diameter [mm]) that cut one sheet,
    and with the ``stock`` size [mm] GCODE_OFFCUT for waste the cuts set free between parts."""
    top = 0.0 if machine.z_zero == "stock_top" else stock_thickness
    bottom = top - stock_thickness
    log = FindingLog(subject)
    sweeps, all_pieces, radii = [], [], []
    for text, diameter in programs:
        parsed = read_program(text, dialect, FindingLog(subject), third_party=third_party)  # syntax findings belong to verify_program
        pieces = full_depth_pieces(parsed.table, bottom + FULL_DEPTH_TOLERANCE)
        sweeps.append(swept_region(pieces, diameter / 2.0))
        all_pieces.extend(pieces)
        radii.append(diameter / 2.0)
    swept = shapely.union_all(sweeps) if sweeps else shapely.Polygon()
    check_parts(swept, all_pieces, parts, min(radii, default=1.0), max_tab_length, log)
    if stock is not None:
        for area, x, y in free_offcuts(swept, parts, stock):
            log.add("GCODE_OFFCUT", f"a {area:.0f} mm² piece of waste near ({x:.1f}, {y:.1f}) is cut free between "
                    "parts: the cutter can catch and throw it (hold it down, or space the parts further apart)",
                    "warning")
    return log.result()


def free_offcuts(swept: shapely.Geometry, parts: Sequence[PartRegion],
                 stock: tuple[float, float]) -> list[tuple[float, float, float]]:
    """(area mm², x, y) of each piece of waste that no longer joins the sheet's skeleton once cut.

    What is left of the stock is the parts, the skeleton (the waste still joined
    to the sheet's edge, which the clamps hold) and pieces of waste cut loose.
    A loose piece inside a part's hole is that hole's slug, expected; one
    between parts is the hazard. Pieces under 1 mm² are the cusps between
    neighbouring passes, not material.
    """
    sheet = shapely.box(0.0, 0.0, *stock)
    kept = shapely.union_all([p.outline for p in parts]) if parts else shapely.Polygon()
    waste = sheet.difference(swept).difference(kept)
    edge = sheet.exterior
    footprints = shapely.union_all([shapely.Polygon(poly.exterior) for p in parts for poly in shapely.get_parts(p.outline)
                                    if isinstance(poly, shapely.Polygon)]) if parts else shapely.Polygon()
    out = []
    for piece in shapely.get_parts(waste):
        if piece.area < 1.0 or piece.distance(edge) < 1e-6 or piece.distance(kept) < 1e-6:
            continue  # a cusp; the skeleton; or held to a part by a tab
        if footprints.contains(piece.representative_point()):
            continue  # a hole's slug
        c = piece.representative_point()
        out.append((round(piece.area, 1), c.x, c.y))
    return sorted(out, key=lambda o: (o[1], o[2]))
