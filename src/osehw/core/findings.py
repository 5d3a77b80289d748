"""Findings: what a check or an analysis says about a design, in the manner of ezdxf's Auditor.

Every finding carries a code from :data:`FINDING_CODES` (its meaning and usual
severity), so a reader of a report, a test or CI can look a code up, and a
typo in a code is caught when the finding is made.
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")

# code → what it means. A finding's severity is chosen where it is made (a tab is
# "info", an uncut ring an "error"); the meaning is fixed here.
FINDING_CODES: dict[str, str] = {
    # geometry of the built model
    "GEOM_INVALID": "OCC reports a solid invalid (BRepCheck)",
    "GEOM_OPEN": "a solid is not closed: an edge of its shell is not shared by exactly two faces",
    "GEOM_VOLUME": "a solid has no positive volume",
    "GEOM_NOT_FLAT": "a sheet part does not lie flat from z = 0 to its thickness",
    "GEOM_INTERFERENCE": "two parts of the assembly overlap",
    # engineering analyses
    "THERMAL_OK": "the enclosure's inside temperature stays under its equipment's rating",
    "THERMAL_OVER": "the enclosure's inside temperature exceeds its equipment's rating",
    "COST_TOTAL": "the design's bill of materials, in US dollars",
    "COST_UNPRICED": "an item has no price in the catalogs: the total leaves it out",
    "COST_ESTIMATED": "a sheet of a thickness no listed sheet has, priced by estimate from the listed ones",
    "STOCK_TOO_LONG": "a stock part is longer than the bar it is cut from",
    "ENERGY_OK": "the power system meets its load through the site's weather year within the allowed loss of load",
    "ENERGY_UNMET": "the power system leaves load unmet for more hours than allowed (months and hours named)",
    "ENERGY_NO_SITE": "a power system without a site: no weather, so its energy balance is unproven",
    "POWER_CONTROLLER": "the PV array breaks a charge-controller limit (Voc at the record low, current, start voltage)",
    "SIZING_LEAST_COST": "the least lifetime-cost PV + battery sizing found at the site, beside the design's own",
    "SIZING_GRID_EDGE": "the least-cost sizing lies on the edge of the searched grid: a larger grid may find cheaper",
    "ECON_CAPITAL": "the node's capital cost against the seed's allotment per node",
    "ECON_SUBSCRIPTION": "the node's at-cost yearly cost per subscriber against the seed's subscription",
    "ECON_BATTERY_ASSUMED": "no energy analysis gave the battery's life: the stated fallback life is used",
    "ALUMINIUM_ENERGY": "the tower metal's mass for the network and the energy and PV to make it",
    "STRUCT_OK": "every member of the frame holds its factored loads (ADM, TIA-222-H)",
    "STRUCT_MEMBER_FAILS": "a member's utilisation under a factored load combination exceeds 1",
    "STRUCT_CONNECTION_FAILS": "a bolted joint's force exceeds its bolts' shear, bearing or the net section",
    "STRUCT_DISH_AIM": "a dish turns more than half its beamwidth in the service wind (TIA-222-H Annex D)",
    "STRUCT_GUY_FAILS": "a guy's factored tension exceeds 0.6 x its strand's breaking strength (TIA-222-H)",
    "RACK_WIND_OK": "the PV rack's anchors and weight hold the array's wind uplift (TIA-222-H)",
    "RACK_UPLIFT": "the PV rack's wind uplift exceeds what its weight and ground anchors hold",
    "OPTICS_OK": "the concentrator's traced intercept factor meets its stated minimum",
    "OPTICS_INTERCEPT_LOW": "the concentrator's traced intercept factor is below its stated minimum",
    "HEAT_YIELD": "the concentrator's yearly useful heat at its site",
    "HEAT_NO_SITE": "the design file names no site, so the concentrator's yearly heat is not computed",
    "MOUNT_OK": "an antenna mount's U-bolt fits its pipe, its bolts keep 2·D edge distance and its slot covers the elevation range",
    "MOUNT_EDGE_DISTANCE": "a bolt centre of an antenna mount's plate lies nearer an edge than 2·D (ADM 2015 J.3.5/J.3.7)",
    "MOUNT_SLOT_WIDTH": "an antenna mount's slot, as built, is narrower than the smallest cutter (CAM cannot cut it)",
    "MOUNT_SLOT_RANGE": "an antenna mount's elevation slot, as built, does not cover its stated range about the pivot",
    "MOUNT_CLAMP_SLIP": "an antenna mount's U-bolt clamp against its antenna's wind twist and weight (friction from "
                        "the bolts' preload); an error when it slips",
    "MOUNT_ARM_BOLTS": "an antenna mount's pivot and slot bolts in shear and bearing, and the slot bolt's friction "
                       "hold; an error when one gives",
    "MOUNT_PLATE_BENDING": "an antenna mount's plates bent out of plane by the wind (pipe plate at the U-bolt line, "
                           "tilt arm at its slot bolt); an error past their plastic moment",
    "LINK_OK": "the radio hop clears 0.6 F1 and keeps its fade margin",
    "LINK_CLEARANCE": "the dishes sit below the height that clears the Fresnel zone over bulge and clutter",
    "LINK_MARGIN": "the hop's fade margin after rain is below the required margin at every modulation",
    # a user's own part file (osehw cam)
    "INPUT_IGNORED": "something in a user's drawing is not a closed outline: left out",
    "INPUT_UNITS": "the unit a user's drawing was read in",
    "INPUT_GAPS": "gaps between outline ends the DXF reader closed, with their sizes",
    # CAM
    "CAM_RECOGNISE": "a sheet part's 2.5D features could not be read from its solid",
    "CAM_MANUFACTURABILITY": "no tool on the machine can make a feature",
    "CAM_NESTING": "the parts cannot be placed on the stock sheets",
    "CAM_BED_TOO_SMALL": "a part is larger than one machine's usable bed or sheet: that machine leaves it out",
    "CAM_NO_MACHINE": "a part is larger than every machine's usable bed or sheet",
    "CAM_COUNTERSINK_NOTED": "a countersink left to the drill press: the router cuts its hole, the setup sheet lists the cone",
    # G-code verification (osehw.cam.verify.program lists the rules)
    "GCODE_PARSE": "a line does not parse",
    "GCODE_DIALECT": "a word the controller's dialect does not accept",
    "GCODE_UNSUPPORTED": "a word the verifier cannot simulate",
    "GCODE_MODES": "units, distance or arc modes not stated as required",
    "GCODE_BLEND": "LinuxCNC path blending tolerance too loose",
    "GCODE_ENVELOPE": "a move outside the machine's travel",
    "GCODE_DEPTH": "a move deeper than the stock bottom plus breakthrough",
    "GCODE_RAPID_LOW": "a rapid move too low: across or into the stock",
    "GCODE_SPINDLE_OFF": "a cut with the spindle off",
    "GCODE_SPINDLE_RANGE": "a spindle speed outside the machine's range",
    "GCODE_FEED": "a cutting move without a positive feed, or faster than the machine",
    "GCODE_ARC": "an arc that is not well defined",
    "GCODE_EMPTY": "the program has no moves",
    "GCODE_GOUGE": "the full-depth sweep enters a part",
    "GCODE_UNCUT": "a part's outline or hole is not cut through",
    "GCODE_TABS": "the holding tabs left on a part",
    "GCODE_OFFCUT": "a piece of waste the cuts set free between parts",
    "GCODE_SPINDLE_MANUAL": "the spindle is switched on with no S word: its speed is set by hand",
    "GCODE_OFFSET": "the work offset the envelope was checked with, given or inferred",
    "GCODE_COMPENSATION": "cutter compensation: the programmed contour is not the tool centre",
}

# Errors that are an analysis' answer about a well-formed design (a member too weak for the site's wind, a
# hop short of margin), not a defect of the build: `osehw check` still fails on them, and the property test
# of the declared parameter space counts such a sample as built and judged rather than broken.
VERDICT_CODES = frozenset({"STRUCT_MEMBER_FAILS", "STRUCT_CONNECTION_FAILS", "STRUCT_DISH_AIM", "STRUCT_GUY_FAILS",
                           "LINK_CLEARANCE", "LINK_MARGIN", "RACK_UPLIFT", "OPTICS_INTERCEPT_LOW",
                           "MOUNT_CLAMP_SLIP", "MOUNT_ARM_BOLTS", "MOUNT_PLATE_BENDING"})


@dataclass(frozen=True)
class Finding:
    """One result of a check, in the manner of ezdxf's Auditor: code, severity, subject, message."""

    code: str
    severity: str  # "error" | "warning" | "info"
    subject: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in FINDING_CODES:
            raise ValueError(f"finding code '{self.code}' is not declared in osehw.core.findings.FINDING_CODES")
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding {self.code}: severity '{self.severity}' is not one of {SEVERITIES}")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


