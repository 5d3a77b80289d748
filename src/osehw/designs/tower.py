"""A self-supporting triangular lattice tower of bolted aluminium tube, sized by the radio hop it carries.

Construction (bolted throughout: welding 6061-T6 drops its yield from 35 to 15 ksi in the heat-affected zone,
ADM Table A.3.4):
- legs: one tube per leg per section, tapering linearly from the base face width to the top face width;
  spliced between sections by a pair of flat splice plates clamping both leg ends, each leg end through-bolted
  twice (bolts in double shear across the tube);
- bracing in each of the three faces (zig-zag, K or X) of tube, each brace end bolted to a gusset tab cut from
  flat bar, the tab through-bolted to the leg at the panel point; horizontals at each section's top
  (and at every panel point for K bracing, whose diagonals meet at the horizontal's midpoint);
- a pipe mast standing in the top section, held by a top plate and a guide plate one panel lower;
- each leg stands on a base plate on the foundation, fixed by two clip angles and four anchor bolts.

The link (hop length, frequency, clutter, radio, dish) sets the antenna height by the 0.6·F1 rule
(``osehw.physics.link``); with ``sections: 0`` the tower gets the fewest sections that reach it.
The structure analysis (``analyses/structure.py``) reads the frame this module builds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, Sequence

import cadquery as cq

from osehw import catalog
from osehw.catalog.guys import guy_strands
from osehw.catalog.radios import dish, dishes, radio, radios
from osehw.core.design import Design, Load, PurchasedItem, SheetPart, StockPart
from osehw.core.design_files import FILE_FIELDS
from osehw.core.frame import Appurtenance, Frame, FrameMember, LatticeSection, WindCase
from osehw.core.params import Choices, DesignParams, ParamError, param
from osehw.core.registry import unknown_message
from osehw.core.solids import drill_through, plate, single_solid
from osehw.designs import register
from osehw.physics.link import antenna_height_m
from osehw.physics.wind import gust_factor, kzt

BOLT_DIAMETER = 10.0  # M10 stainless through-bolts for legs, braces and splices [mm]
BOLT_HOLE = 11.0  # clearance for M10, ISO 273 medium [mm]
EDGE = 2.0 * BOLT_DIAMETER  # bolt centre to a part's end: ADM J.3.5 minimum 1.5·D, 2·D for full bearing [mm]
BRACE_GAP = 25.0  # clear gap between a brace's end and the leg's surface (room for the tab's bolt head) [mm]
TAB_LENGTH = 2 * EDGE + 60.0  # gusset tab: leg bolt and brace bolt 60 mm apart, each 2·D from an end [mm]
SPLICE_GAP = 10.0  # gap between the two leg ends under a splice plate [mm]
SPLICE_PITCH = 40.0  # splice bolts on each leg end, 4·D centres (ADM J.3.4 minimum 2.5·D) [mm]
ANCHOR_HOLE = 18.0  # M16 anchor bolts [mm]
BASE_PLATE = 250.0  # square base plate per leg [mm]
CLIP_LENGTH = 120.0  # clip angle length [mm]
MAST_GUIDE_CLEARANCE = 2.0  # radial clearance of the mast in its plates [mm]
DISH_BELOW_MAST_TOP = 300.0  # dish centre below the mast's top [mm]
BOLT_ID = "bolt-m10x80-ss-set"
ANCHOR_ID = "anchor-m16-wedge"
TUBES = ("round_tube",)
MAX_SECTIONS = 16
MIN_CREST_M = 4.5  # the smallest hill the topographic factor applies to (ASCE 7-16 26.8.1, H ≥ 15 ft)
MIN_BRACE = 4 * EDGE + 40.0  # a brace's two bolt holes, their edge distances and room between [mm]


def mount_files() -> tuple[str, ...]:
    """The design files under designs/ that are antenna mounts (what ``mount`` offers; a path works too)."""
    from osehw.core.design_files import design_files
    from osehw.core.params import read_design_file

    return tuple(f.stem for f in design_files() if read_design_file(f).design == "antenna-mount")


def _tube_ids() -> tuple[str, ...]:
    return tuple(sorted(k for k, v in catalog.stock_profiles().items() if v.shape in TUBES))


class TowerParams(DesignParams):
    # --- the radio hop (sets the height) ---
    hop_km: float = param(16.1, "km", "length of the radio hop this tower serves", gt=0.1, le=100.0)
    frequency_ghz: float = param(5.8, "GHz", "radio frequency of the hop", ge=1.0, le=100.0)
    clutter_m: float = param(15.0, "m", "height of trees and buildings along the path (ITU-R P.452: deciduous 15, "
                                        "coniferous 20)", ge=0.0, le=60.0)
    k_factor: float = param(4 / 3, "-", "effective earth-radius factor (4/3 standard atmosphere)", ge=0.5, le=4.0)
    fresnel_clearance: float = param(0.6, "-", "share of the first Fresnel radius kept clear", ge=0.0, le=1.5)
    radio: str = param("airfiber-5x", "-", "radio at each end, an id in bom/radios.csv")
    dish: str = param("rocketdish-5g34", "-", "dish at each end, an id in bom/dishes.csv")
    dish_count: int = param(2, "-", "dishes on the mast (a relay node carries one per hop)", ge=0, le=6)
    misc_loss_db: float = param(1.0, "dB", "cable, connector and radome losses per hop", ge=0.0, le=20.0)
    required_margin_db: float = param(15.0, "dB", "fade margin the fastest usable modulation must keep", ge=0.0,
                                      le=60.0)
    rain_rate_mm_h: float = param(50.0, "mm/h", "rain rate exceeded 0.01 % of the year at the site (ITU-R P.837)",
                                  ge=0.0, le=250.0)
    availability_pct: float = param(99.99, "%", "time the link must hold its margin against rain", ge=99.0,
                                    le=99.999)
    # --- the lattice ---
    sections: int = param(0, "-", "lattice sections; 0 = the fewest whose dishes reach the link's clearance height",
                          ge=0, le=16)
    section_length: float = param(3048.0, "mm", "length of one section (10 ft)", ge=2000.0, le=6096.0)
    panels_per_section: int = param(4, "-", "bracing panels in one section", ge=1, le=8)
    base_face_width: float = param(2000.0, "mm", "face width (leg centre to leg centre) at the base", ge=250.0,
                                   le=3000.0)
    top_face_width: float = param(450.0, "mm", "face width at the top of the lattice (the mast plates must fit a "
                                                "4x8 ft router)", ge=250.0, le=1000.0)
    leg_profile: str = param("tube-6061-50.8x6.35", "-", "leg tube, an id in bom/stock_profiles.csv")
    brace_profile: str = param("tube-6061-38.1x3.175", "-", "brace tube, an id in bom/stock_profiles.csv")
    bracing: Literal["zigzag", "K", "X"] = param("zigzag", "-", "bracing pattern in each face")
    alloy: Literal["6061-T6", "6063-T6"] = param("6061-T6", "-", "alloy and temper of tubes and plates (strength)")
    splice_bolts: int = param(5, "-", "M10 through-bolts on each leg end at a splice (double shear)", ge=2, le=8)
    plate_thickness: float = param(6.35, "mm", "splice, base and mast plates; a stock thickness of aluminium-6061",
                                   ge=3.0, le=25.4)
    tab_profile: str = param("bar-6061-50.8x6.35", "-", "flat bar the gusset tabs are cut from")
    mast_profile: str = param("pipe-6061-73.0x5.16", "-", "mast pipe, an id in bom/stock_profiles.csv")
    mast_above: float = param(1000.0, "mm", "mast length above the top of the lattice", ge=300.0, le=3000.0)
    mount: str = param(FILE_FIELDS["tower"]["mount"], "-", "each dish's pipe mount: an antenna-mount design file "
                       "(a variant in designs/ or a path); the tower sets its count, pipe, height and wind")
    # --- the wind (TIA-222-H) ---
    wind_speed_m_s: float = param(51.4, "m/s", "basic wind speed, 3-s gust (ASCE 7 / TIA-222-H map; 115 mph)",
                                  ge=20.0, le=90.0)
    service_wind_m_s: float = param(26.8, "m/s", "service wind for dish aim (TIA-222-H 2.8.3: 60 mph)", ge=10.0,
                                    le=60.0)
    exposure: Literal["B", "C", "D"] = param("C", "-", "terrain exposure category (TIA-222-H 2.6.5.1)")
    topography: int = param(1, "-", "topographic category 1-4 (TIA-222-H 2.6.6)", ge=1, le=4)
    crest_height_m: float = param(0.0, "m", "height of the hill or ridge (categories 2-4)", ge=0.0, le=500.0)
    ground_elevation_m: float = param(0.0, "m", "site elevation above sea level (Ke)", ge=-100.0, le=5000.0)
    ice_thickness: float = param(0.0, "mm", "map radial ice thickness ti, 50-year (TIA-222-H §2.6.10, Annex B); "
                                            "0 = no ice", ge=0.0, le=75.0)
    ice_wind_m_s: float = param(13.4, "m/s", "3-s gust wind speed that comes with the ice (TIA-222-H Annex B; "
                                             "30 mph)", ge=5.0, le=40.0)
    # --- guying (``designs/tower_guys.py``) ---
    support: Literal["self-supporting", "guyed"] = param("self-supporting", "-", "self-supporting lattice, or a "
                                                         "guyed mast of one face width")
    guy_levels: int = param(2, "-", "guy levels, equally spaced up to the lattice top (guyed)", ge=1, le=6)
    guy_radius: float = param(0.8, "-", "anchor radius as a share of the lattice height (guyed)", ge=0.3, le=1.5)
    guy_strand: str = param("ehs-1-4", "-", "guy strand, an id in bom/guy_strands.csv (guyed)")
    guy_tension_pct: float = param(10.0, "%", "initial guy tension, share of the strand's breaking strength "
                                              "(TIA-222-H recommends 10 %)", ge=5.0, le=20.0)
    # --- the foundation ---
    soil_bearing_kpa: float = param(290.0, "kPa", "nominal soil bearing capacity under the pad (IBC Table 1806.2 "
                                                  "presumptive 2000 psf for clay × 3)", ge=50.0, le=2000.0)
    pad_thickness: float = param(600.0, "mm", "concrete pad thickness", ge=300.0, le=2000.0)

    @classmethod
    def choices(cls) -> dict[str, Choices]:
        tubes = _tube_ids()
        return {"leg_profile": Choices(tubes), "brace_profile": Choices(tubes), "mast_profile": Choices(tubes),
                "tab_profile": Choices(tuple(sorted(k for k, v in catalog.stock_profiles().items()
                                                    if v.shape == "flat_bar"))),
                "plate_thickness": Choices(tuple(catalog.stock_thicknesses("aluminium-6061"))),
                "radio": Choices(tuple(sorted(radios()))), "dish": Choices(tuple(sorted(dishes()))),
                "guy_strand": Choices(tuple(sorted(guy_strands()))), "mount": Choices(mount_files())}

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        for name, allowed in self.choices().items():
            if name == "mount":
                continue  # a path to the user's own mount file is accepted too: mount_problems() reads it
            value = getattr(self, name)
            if all(value != a for a in allowed.values):
                broken.append((name, value, unknown_message(name.replace("_", " "), str(value), allowed.values)))
        if broken:
            return broken
        if self.topography > 1 and self.crest_height_m < MIN_CREST_M:
            broken.append(("crest_height_m", self.crest_height_m, f"topographic category {self.topography} needs a "
                           f"hill at least {MIN_CREST_M:g} m high (ASCE 7-16 26.8.1: 15 ft); use category 1 "
                           "for flat ground"))
        if self.support == "guyed" and self.top_face_width != self.base_face_width:
            broken.append(("top_face_width", self.top_face_width, f"a guyed mast keeps one face width: set it equal "
                           f"to base_face_width ({self.base_face_width:g} mm)"))
        if self.top_face_width > self.base_face_width:
            broken.append(("top_face_width", self.top_face_width,
                           f"must not exceed base_face_width ({self.base_face_width:g} mm)"))
        leg = catalog.stock_profile(self.leg_profile)
        if self.section_length > leg.bar_length:
            broken.append(("section_length", self.section_length,
                           f"must fit one bar of {self.leg_profile} ({leg.bar_length:g} mm)"))
        mast = catalog.stock_profile(self.mast_profile)
        if self.mast_above + self.section_length / self.panels_per_section > mast.bar_length:
            broken.append(("mast_above", self.mast_above, f"mast must fit one bar of {self.mast_profile}"))
        clear = self.top_face_width / math.sqrt(3) * 1.5 - leg.size_a
        if mast.size_a / 2 + MAST_GUIDE_CLEARANCE > clear:
            broken.append(("top_face_width", self.top_face_width, "too narrow for the mast to pass between the legs"))
        if broken:
            return broken
        n = section_count(self)
        if n > MAX_SECTIONS:
            return [("sections", self.sections, f"the hop needs {n} sections of {self.section_length:g} mm "
                     f"(dishes at {required_antenna_height_m(self):.1f} m), more than {MAX_SECTIONS}: "
                     "use longer sections or a shorter hop")]
        if self.dish_count:
            problems = mount_problems(self)
            if problems:
                return broken + problems
            low = dish_height(self) - mount_drop(self) - n * self.section_length
            if low < MOUNT_CLEARANCE:
                broken.append(("mast_above", self.mast_above, f"puts the lowest of {self.dish_count} dish mounts "
                               f"{MOUNT_CLEARANCE - low:.0f} mm too low: their plates must clear the lattice's top by "
                               f"{MOUNT_CLEARANCE:g} mm (raise mast_above or carry fewer dishes)"))
        b = _Builder(self, n)
        b.lattice()
        shortest = min((_length(b.nodes, m) - ti - tj, m.name) for m, ti, tj in brace_pieces(b))
        if shortest[0] < MIN_BRACE:
            broken.append(("panels_per_section", self.panels_per_section,
                           f"leaves brace {shortest[1]} {shortest[0]:.0f} mm long once its ends clear the legs "
                           f"(at least {MIN_BRACE:g} mm): use fewer panels, wider faces or thinner tubes"))
        return broken

    def nested(self) -> dict[str, tuple[Any, DesignParams]]:
        if not self.dish_count or self.rules():
            return {}
        return {MOUNT_CHILD: mount_design(self)}


MOUNT_CHILD = "dish-mount"
MOUNT_GAP = 50.0  # between two levels of dish mounts on the mast [mm]
MOUNT_CLEARANCE = 50.0  # lowest mount plate above the lattice's top (and its mast plate) [mm]


def mount_half_height(p: TowerParams) -> float:
    """Half the pipe plate's height along the mast [mm], from its layout (the U-bolt rows or the slot's ends,
    whichever reach further, plus the edge margin)."""
    from osehw.designs.antenna_mount import UBOLT_PITCH, layout

    _, params = mount_design(p)
    lay = layout(params)
    reach = max([UBOLT_PITCH / 2] + [abs(y) for _, y in lay.slot_centreline(circumscribe=True)])
    return reach + lay.margin


def mount_drop(p: TowerParams) -> float:
    """From the dish node down to the lowest mount plate's bottom edge [mm]: the mounts hang two a level on
    opposite sides of the mast, each level a plate height and MOUNT_GAP below the one above."""
    half = mount_half_height(p)
    return (p.dish_count - 1) // 2 * (2 * half + MOUNT_GAP) + half


def mount_design(p: TowerParams) -> tuple[Any, DesignParams]:
    """The dish mount's design type and parameters: the mount file's, with the tower's dish count, mast pipe,
    dish, dish height and wind (TIA-222-H: Kzt at the dish's height, the lattice's gust factor Gh).
    ParamError when the file is not an antenna mount or its pipe, dish or antenna contradicts the tower's."""
    from osehw.core.params import Problem, validate
    from osehw.pipeline import load

    loaded = load(p.mount)
    if loaded.kind.name != "antenna-mount":
        raise ParamError([Problem("tower", "mount", p.mount, f"is a {loaded.kind.name} design, not an antenna-mount")])
    given = loaded.params.model_fields_set
    wanted = {"pipe": p.mast_profile, "dish": p.dish, "antenna": "dish"}  # a file naming these must agree
    clash = [f"its {k} {getattr(loaded.params, k)} is not the tower's {v}" for k, v in wanted.items()
             if k in given and getattr(loaded.params, k) != v]
    if clash:
        raise ParamError([Problem("tower", "mount", p.mount, "; ".join(clash) + " (leave it out: the tower sets it)")])
    z = dish_height(p)
    tower_height_m = (section_count(p) * p.section_length + p.mast_above) / 1000.0
    values = {**loaded.params.model_dump(), **wanted, "count": p.dish_count, "height": round(z, 1),
              "wind_speed_m_s": p.wind_speed_m_s, "exposure": p.exposure, "ground_elevation_m": p.ground_elevation_m,
              "kzt": round(kzt(z / 1000.0, p.exposure, p.topography, p.crest_height_m), 4),
              "gust_factor": round(gust_factor("guyed" if p.support == "guyed" else "self_supporting", tower_height_m), 4)}
    return loaded.kind, validate(loaded.kind.schema, values, f"tower mount ({p.mount})")


def mount_problems(p: TowerParams) -> list[tuple[str, Any, str]]:
    """The mount's problems as the tower's rule errors (the mast pipe no U-bolt fits, a contradicting file…)."""
    try:
        mount_design(p)
    except ParamError as exc:
        return [("mount" if pr.field in ("mount", "DESIGN", "design") else f"mount.{pr.field}", pr.value, pr.rule)
                for pr in exc.problems]
    return []


def dish_height(p: TowerParams) -> float:
    """The dishes' centre above the tower's base [mm]."""
    return section_count(p) * p.section_length + p.mast_above - DISH_BELOW_MAST_TOP


@dataclass(frozen=True)
class RadioLink:
    """The hop a tower serves, with the catalog rows it uses (read by the link analysis)."""

    hop_km: float
    frequency_ghz: float
    clutter_m: float
    k_factor: float
    clearance: float
    radio: str
    dish: str
    misc_loss_db: float
    required_margin_db: float
    rain_rate_mm_h: float
    availability_pct: float
    antenna_height_m: float  # the dish centre's height on this tower


def required_antenna_height_m(p: TowerParams) -> float:
    return antenna_height_m(p.hop_km, p.frequency_ghz, p.clutter_m, p.k_factor, p.fresnel_clearance)


def section_count(p: TowerParams) -> int:
    """The given count, or the fewest sections that put the dishes at the link's clearance height."""
    if p.sections:
        return p.sections
    need = required_antenna_height_m(p) * 1000 - (p.mast_above - DISH_BELOW_MAST_TOP)
    return max(1, math.ceil(need / p.section_length - 1e-9))


def leg_xy(face_width: float, leg: int) -> tuple[float, float]:
    """Leg centre in plan: an equilateral triangle of side ``face_width`` about the axis; leg 0 on +y,
    face 0 between legs 0 and 1, facing −x−y…; face f between legs f and f + 1."""
    r = face_width / math.sqrt(3)
    a = math.radians(90.0 + 120.0 * leg)
    return r * math.cos(a), r * math.sin(a)


@dataclass
class _Builder:
    p: TowerParams
    n: int

    def __post_init__(self) -> None:
        self.height = self.n * self.p.section_length
        self.nodes: dict[str, tuple[float, float, float]] = {}
        self.members: list[FrameMember] = []
        self.stock: list[StockPart] = []
        self.leg_holes: dict[tuple[int, int], list[float]] = {}  # (section, leg) → z of through-bolts
        self.tabs = 0

    def at_node(self) -> dict[str, list[FrameMember]]:
        """Members meeting at each node (built once the frame is complete)."""
        if getattr(self, "_at", None) is None or self._count != len(self.members):
            self._at: dict[str, list[FrameMember]] = {}
            for m in self.members:
                self._at.setdefault(m.i, []).append(m)
                self._at.setdefault(m.j, []).append(m)
            self._count = len(self.members)
        return self._at

    def width(self, z: float) -> float:
        p = self.p
        return p.base_face_width + (p.top_face_width - p.base_face_width) * z / self.height

    def leg_node(self, leg: int, z: float) -> str:
        name = f"L{leg}@{z:.1f}"
        if name not in self.nodes:
            x, y = leg_xy(self.width(z), leg)
            self.nodes[name] = (round(x, 4), round(y, 4), round(z, 4))
        return name

    def add_brace(self, sec: int, face: int, kind: str, a: str, b: str, part: str, continuous_at: str = "") -> None:
        self.members.append(FrameMember(f"{part}:{a}-{b}", a, b, self.p.brace_profile, kind, part, True, face, sec,
                                        continuous_at))

    def lattice(self) -> None:
        p = self.p
        ls, panels = p.section_length, p.panels_per_section
        for sec in range(1, self.n + 1):
            z0 = (sec - 1) * ls
            zs = [z0 + ls * j / panels for j in range(panels + 1)]
            for leg in range(3):
                for j in range(panels):
                    a, b = self.leg_node(leg, zs[j]), self.leg_node(leg, zs[j + 1])
                    self.members.append(FrameMember(f"S{sec}-leg{leg}-p{j + 1}", a, b, p.leg_profile, "leg",
                                                    f"S{sec}-leg", False, -1, sec))
            for face in range(3):
                la, lb = face, (face + 1) % 3
                for j in range(panels):
                    bottom, top = zs[j], zs[j + 1]
                    tag = f"S{sec}-P{j + 1}"
                    if p.bracing == "zigzag":
                        s, e = (la, lb) if j % 2 == 0 else (lb, la)
                        self.add_brace(sec, face, "diagonal", self.leg_node(s, bottom), self.leg_node(e, top),
                                       f"{tag}-diag")
                    elif p.bracing == "X":
                        self.add_brace(sec, face, "diagonal", self.leg_node(la, bottom), self.leg_node(lb, top),
                                       f"{tag}-diag-a")
                        self.add_brace(sec, face, "diagonal", self.leg_node(lb, bottom), self.leg_node(la, top),
                                       f"{tag}-diag-b")
                    else:  # K: both diagonals rise to the midpoint of the horizontal above
                        mid = f"M{face}@{top:.1f}"
                        pa, pb = self.nodes[self.leg_node(la, top)], self.nodes[self.leg_node(lb, top)]
                        self.nodes[mid] = tuple(round((u + v) / 2, 4) for u, v in zip(pa, pb))  # type: ignore
                        self.add_brace(sec, face, "diagonal", self.leg_node(la, bottom), mid, f"{tag}-diag-a")
                        self.add_brace(sec, face, "diagonal", self.leg_node(lb, bottom), mid, f"{tag}-diag-b")
                        # one horizontal tube from leg to leg, the diagonals bolted to it at its midpoint: in the
                        # frame two members, continuous (moment-carrying) through the midpoint
                        self.add_brace(sec, face, "horizontal", self.leg_node(la, top), mid, f"{tag}-horiz", mid)
                        self.add_brace(sec, face, "horizontal", mid, self.leg_node(lb, top), f"{tag}-horiz", mid)
                if p.bracing != "K" and sec == self.n:  # a joint horizontal would clash with the next diagonal
                    self.add_brace(sec, face, "horizontal", self.leg_node(la, zs[-1]), self.leg_node(lb, zs[-1]),
                                   f"S{sec}-top-horiz")

    def mast(self) -> tuple[str, float]:
        """The mast: from one panel below the lattice top to ``mast_above`` over it, tied to the three legs at
        the guide plate and the top plate (stiff plate links). Returns the dish node and its height [mm]."""
        p = self.p
        guide_z = self.height - p.section_length / p.panels_per_section
        dish_z = self.height + p.mast_above - DISH_BELOW_MAST_TOP
        levels = [guide_z, self.height, dish_z, self.height + p.mast_above]
        names = [f"MAST@{z:.1f}" for z in levels]
        for name, z in zip(names, levels):
            self.nodes[name] = (0.0, 0.0, round(z, 4))
        for k in range(3):
            self.members.append(FrameMember(f"mast-{k + 1}", names[k], names[k + 1], p.mast_profile, "mast", "mast",
                                            False, -1, self.n))
        for z, mast_node, plate_name in ((guide_z, names[0], "mast-guide-plate"), (self.height, names[1],
                                                                                   "mast-top-plate")):
            for leg in range(3):
                self.members.append(FrameMember(f"{plate_name}-{leg}", mast_node, self.leg_node(leg, z),
                                                "plate-link", "link", plate_name, False, -1, self.n))
        return names[2], dish_z


def _length(nodes: dict[str, tuple[float, float, float]], m: FrameMember) -> float:
    return math.dist(nodes[m.i], nodes[m.j])


def _direction(nodes: dict[str, tuple[float, float, float]], m: FrameMember, at: str) -> tuple[float, ...]:
    """Unit vector along ``m`` pointing away from its end ``at``."""
    a, c = (nodes[m.i], nodes[m.j]) if at == m.i else (nodes[m.j], nodes[m.i])
    d = math.dist(a, c)
    return tuple((v - u) / d for u, v in zip(a, c))


def end_trim(b: _Builder, m: FrameMember, at: str) -> float:
    """How far a brace stops short of the node ``at`` along its axis [mm]: far enough that its tube clears
    every other member meeting there, (r_self + r_other)/sin(angle between them), plus BRACE_GAP for the
    gusset tab's bolt head. The cut list and the 3D model both use it."""
    r_self = catalog.stock_profile(m.profile).size_a / 2
    mine = _direction(b.nodes, m, at)
    trim = 0.0
    for other in b.at_node()[at]:
        if other is m or other.role == "link":
            continue
        if other.role in ("diagonal", "horizontal") and other.part == m.part and other.role == m.role \
                and other.i != m.i and other.j != m.j:
            continue  # the collinear other half of a K horizontal: both end on the same tab at the midpoint
        theirs = _direction(b.nodes, other, at)
        cos = abs(sum(u * v for u, v in zip(mine, theirs)))
        sin = math.sqrt(max(1e-9, 1 - min(1.0, cos) ** 2))
        trim = max(trim, (r_self + catalog.stock_profile(other.profile).size_a / 2) / max(sin, 1e-6))
    return trim + BRACE_GAP


def brace_pieces(b: _Builder) -> list[tuple[FrameMember, float, float]]:
    """Each brace tube as (member from end to end, trim at its start, trim at its end) [mm]: one frame member,
    or for a K horizontal its two halves joined (the tube runs on through the midpoint)."""
    out = []
    for m in b.members:
        if m.role not in ("diagonal", "horizontal"):
            continue
        if m.continuous_at and m.i == m.continuous_at:
            continue  # the second half of a K horizontal: taken with the first
        if m.continuous_at:
            second = next(o for o in b.at_node()[m.j] if o is not m and o.part == m.part and o.i == m.j)
            whole = FrameMember(m.part, m.i, second.j, m.profile, m.role, m.part, True, m.face, m.section)
            out.append((whole, end_trim(b, m, m.i), end_trim(b, second, second.j)))
        else:
            out.append((m, end_trim(b, m, m.i), end_trim(b, m, m.j)))
    return out


def stock_parts(b: _Builder) -> list[StockPart]:
    """Cut list: a leg per leg per section (holes at every brace point and the splice bolts), braces grouped by
    length (three faces alike), gusset tabs, the mast and the base clip angles. Returns the parts and the
    count of through-bolts they need."""
    p = b.p
    parts: list[StockPart] = []
    for sec in range(1, b.n + 1):
        segs = [m for m in b.members if m.section == sec and m.role == "leg" and m.i.startswith("L0@")]
        length = sum(_length(b.nodes, m) for m in segs)
        cos_lean = (p.section_length / length)
        brace_z = sorted({b.nodes[n][2] for m in b.members if m.section == sec and m.role != "leg"
                          for n in (m.i, m.j) if n.startswith("L0@")})
        # leg ends stop SPLICE_GAP / 2 short of a joint, so the two ends under a splice plate do not touch
        trim_bottom = SPLICE_GAP / 2 if sec > 1 else 0.0
        length -= trim_bottom + (SPLICE_GAP / 2 if sec < b.n else 0.0)
        row = [EDGE + k * SPLICE_PITCH for k in range(p.splice_bolts)]
        splice = row if sec > 1 else [EDGE]  # the base: one bolt through the clip angles
        splice += [length - x for x in row] if sec < b.n else []
        clear = row[-1] + EDGE  # brace points at a joint bolt through the splice plates instead
        along = [(z - (sec - 1) * p.section_length) / cos_lean - trim_bottom for z in brace_z]
        holes = sorted({(round(x, 1), BOLT_HOLE) for x in along + splice
                        if x in splice or clear <= x <= length - clear})
        parts.append(StockPart(f"leg-s{sec}", p.leg_profile, round(length, 1), 3, (0.0, 0.0), tuple(holes),
                               f"LEG-S{sec}", f"section {sec}, one per leg; holes are through-bolts across the tube"))
    groups: dict[tuple[str, float], int] = {}
    for m, trim_i, trim_j in brace_pieces(b):
        key = (m.role, round(_length(b.nodes, m) - trim_i - trim_j, 0))
        groups[key] = groups.get(key, 0) + 1
    for k, ((role, cut), qty) in enumerate(sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[0][1]))):
        parts.append(StockPart(f"{role}-{k + 1}", p.brace_profile, cut, qty, (0.0, 0.0),
                               ((EDGE, BOLT_HOLE), (round(cut - EDGE, 1), BOLT_HOLE)), f"BR-{k + 1}",
                               f"{role}, bolted to a gusset tab at each end"))
    tab_count = sum(qty for qty in groups.values()) * 2
    parts.append(StockPart("gusset-tab", p.tab_profile, TAB_LENGTH, tab_count, (0.0, 0.0),
                           ((EDGE, BOLT_HOLE), (TAB_LENGTH - EDGE, BOLT_HOLE)), "TAB",
                           "one per brace end: through-bolted to the leg, the brace bolted to its other hole"))
    guide_drop = p.section_length / p.panels_per_section
    mast_len = p.mast_above + guide_drop + 100.0
    parts.append(StockPart("mast", p.mast_profile, round(mast_len, 1), 1, (0.0, 0.0),
                           ((100.0 + EDGE, BOLT_HOLE), (100.0 + guide_drop + EDGE, BOLT_HOLE)), "MAST",
                           "stands 100 mm below the guide plate; a through-bolt over each plate carries it"))
    if b.n > 1:
        row = [EDGE + k * SPLICE_PITCH for k in range(p.splice_bolts)]
        length = 2 * (row[-1] + EDGE) + SPLICE_GAP
        holes = tuple(row) + tuple(length - x for x in reversed(row))
        parts.append(StockPart("splice-plate", p.tab_profile, length, 6 * (b.n - 1), (0.0, 0.0),
                               tuple((h, BOLT_HOLE) for h in holes), "SPLICE",
                               "two per leg joint, one each side of the tubes; the bolts pass through both leg ends"))
    parts.append(StockPart("clip-angle", "angle-6061-38.1x4.76", CLIP_LENGTH, 12, (0.0, 0.0),
                           ((30.0, BOLT_HOLE), (90.0, BOLT_HOLE)), "CLIP",
                           "two per leg at the base plate; one per leg under each mast plate"))
    return parts


def bolt_count(sections: int, tabs: int, splice_bolts: int) -> int:
    """M10 bolt sets: each tab to its leg and its brace to it (2 per tab), ``splice_bolts`` on each of the two
    leg ends of each leg at each splice, one
    per leg through the base clips and 2 per clip angle into the base plate, the mast's two through-bolts
    and one per leg at each of its two plates."""
    return 2 * tabs + 3 * 2 * splice_bolts * (sections - 1) + 3 + 2 * 6 + 2 + 6


def sheet_parts(b: _Builder) -> list[SheetPart]:
    """Plates routed from aluminium plate: base plates (one per leg) and the mast's top and guide plates.
    Rectangular plates with a row of holes (splice plates, gusset tabs) are sawn from flat bar instead: a saw
    and a drill press make them faster than a router, and they go to the cut list."""
    p = b.p
    t = p.plate_thickness
    leg_od = catalog.stock_profile(p.leg_profile).size_a
    mast_od = catalog.stock_profile(p.mast_profile).size_a
    parts = []
    a = BASE_PLATE / 2 - 30.0
    base = drill_through(plate(BASE_PLATE, BASE_PLATE, t), ANCHOR_HOLE, [(sx * a, sy * a) for sx in (-1, 1)
                                                                         for sy in (-1, 1)])
    base = drill_through(base, BOLT_HOLE, [(sx * (leg_od / 2 + 20.0), 0.0) for sx in (-1, 1)])
    parts.append(SheetPart("base-plate", single_solid(base), "aluminium-6061", t, 3, "BASE", "screwed"))
    for name, z in (("mast-top-plate", b.height), ("mast-guide-plate", b.height - p.section_length
                                                   / p.panels_per_section)):
        side = b.width(z) + leg_od + 60.0
        r = side / math.sqrt(3)
        tri = (cq.Workplane("XY").polyline([(r * math.cos(math.radians(90 + 120 * k)),
                                              r * math.sin(math.radians(90 + 120 * k))) for k in range(3)])
               .close().extrude(t))
        tri = tri.faces(">Z").workplane(origin=(0, 0, 0)).hole(mast_od + 2 * MAST_GUIDE_CLEARANCE)
        corner = [leg_xy(b.width(z), k) for k in range(3)]
        tri = drill_through(tri, BOLT_HOLE, corner)
        parts.append(SheetPart(name, single_solid(tri), "aluminium-6061", t, 1, name.upper(), "screwed"))
    return parts


def member_solid(b: _Builder, m: FrameMember, trim_i: float, trim_j: float) -> cq.Solid:
    """A member as a solid cylinder on its axis, its ends trimmed back by ``trim_i``/``trim_j`` [mm]."""
    od = catalog.stock_profile(m.profile).size_a
    a, c = cq.Vector(*b.nodes[m.i]), cq.Vector(*b.nodes[m.j])
    axis = (c - a).normalized()
    start = a + axis * trim_i
    return cq.Solid.makeCylinder(od / 2, (c - a).Length - trim_i - trim_j, start, axis)


def assembly(b: _Builder) -> cq.Assembly:
    """Per section one solid of its three legs and one of each face's braces, and the mast: members as solid cylinders
    on their axes, braces cut to their cut-list length (ending BRACE_GAP short of the leg's surface, where the
    gusset tab takes them), so a brace that reached into a leg would show as an interference."""
    assy = cq.Assembly(name="tower")
    grey, dark = cq.Color(0.75, 0.77, 0.8), cq.Color(0.55, 0.57, 0.6)
    for sec in range(1, b.n + 1):
        legs = [m for m in b.members if m.section == sec and m.role == "leg"]
        joined = []
        for leg in range(3):
            segs = [m for m in legs if m.i.startswith(f"L{leg}@")]
            whole = FrameMember("", segs[0].i, segs[-1].j, segs[0].profile, "leg")
            joined.append(member_solid(b, whole, SPLICE_GAP / 2 if sec > 1 else 0.0,
                                       SPLICE_GAP / 2 if sec < b.n else 0.0))
        assy.add(cq.Compound.makeCompound(joined), name=f"legs-s{sec}", color=grey)
        for face in range(3):
            # X bracing: the second diagonal of each panel passes outside the first, its tabs a brace diameter
            # plus a 3 mm washer gap proud of the face, so the two tubes cross without touching
            normal = math.radians(150.0 + 120.0 * face)
            od = catalog.stock_profile(b.p.brace_profile).size_a + 3.0
            braces = []
            for m, trim_i, trim_j in brace_pieces(b):
                if m.section == sec and m.face == face:
                    solid = member_solid(b, m, trim_i, trim_j)
                    if m.part.endswith("-diag-b"):
                        solid = solid.translate(cq.Vector(od * math.cos(normal), od * math.sin(normal), 0.0))
                    braces.append(solid)
            assy.add(cq.Compound.makeCompound(braces), name=f"braces-s{sec}-face{face}", color=dark)
    mast = [m for m in b.members if m.role == "mast"]
    whole = FrameMember("", mast[0].i, mast[-1].j, mast[0].profile, "mast")
    assy.add(member_solid(b, whole, -100.0, 0.0), name="mast", color=dark)
    return assy


def carried_node(nodes: dict[str, tuple[float, float, float]], height: float) -> str:
    """The mast or leg node nearest ``height`` [mm above the base] (ties to the name first in order)."""
    on = [n for n in nodes if n.startswith(("MAST@", "L"))]
    return min(on, key=lambda n: (abs(nodes[n][2] - height), n))


def dish_appurtenances(mount: Design, node: str, count: int, beamwidth: float) -> list[Appurtenance]:
    """One appurtenance per dish at ``node``: its weight and EPA the mount's loads (dish and bracket) shared
    equally among the ``count`` mounts."""
    weight = sum(ld.weight_kg for ld in mount.loads) / count
    epa = sum(ld.wind_area_m2 for ld in mount.loads) / count
    return [Appurtenance(f"dish-{k + 1}", node, weight, epa, beamwidth) for k in range(count)]


def place_mounts(assy: cq.Assembly, mount: Design, count: int, dish_z: float, pipe_od: float, half: float) -> None:
    """The mounts' plates in the model, on the mast: two a level, on opposite sides, each level a plate's
    height (2·``half``) and MOUNT_GAP below the one above (the model only; the frame puts every dish at the
    dish node)."""
    assert mount.assembly is not None
    plates = [c for c in mount.assembly.children if c.name in ("pipe-plate", "tilt-arm")]
    pitch = 2 * half + MOUNT_GAP
    for k in range(count):
        turn = cq.Location(cq.Vector(0, 0, dish_z - (k // 2) * pitch), cq.Vector(0, 0, 1), 180.0 * (k % 2))
        shift = cq.Location(cq.Vector(0, -(pipe_od / 2 + 0.01), 0))  # the mount's pipe axis onto the mast's
        for c in plates:
            assy.add(c.obj, name=f"{MOUNT_CHILD}-{k + 1}-{c.name}", loc=turn * shift * c.loc, color=c.color)


@register("tower", "triangular aluminium lattice tower, self-supporting or guyed, sized by its radio hop", TowerParams)
def build(p: TowerParams) -> Design:  # type: ignore[override]
    return build_tower(p)


def build_tower(p: TowerParams, carried: Sequence[Load] = ()) -> Design:
    """The tower, its dishes on a ``dish-mount`` child design, and ``carried``: loads a parent puts on it (an
    equipment enclosure), each with its weight and wind area at the mast or leg node nearest its height
    (``Load.height`` [mm above the tower's base])."""
    b = _Builder(p, section_count(p))
    b.lattice()
    dish_node, dish_z = b.mast()
    parts = stock_parts(b)
    plates = sheet_parts(b)
    d = dish(p.dish)
    children: dict[str, Design] = {}
    apps: list[Appurtenance] = []
    if p.dish_count:
        kind, params = mount_design(p)
        children[MOUNT_CHILD] = kind.build(params)
        apps += dish_appurtenances(children[MOUNT_CHILD], dish_node, p.dish_count, d.beamwidth_deg)
    names: dict[str, int] = {}
    for ld in carried:
        names[ld.name] = names.get(ld.name, 0) + 1
        name = ld.name if names[ld.name] == 1 else f"{ld.name} ({names[ld.name]})"
        apps.append(Appurtenance(name, carried_node(b.nodes, ld.height), ld.weight_kg, ld.wind_area_m2))
    frame = Frame(nodes=dict(b.nodes), members=list(b.members), supports=[b.leg_node(k, 0.0) for k in range(3)],
                  alloy=p.alloy,
                  wind=WindCase(p.wind_speed_m_s, p.service_wind_m_s, p.exposure, p.topography, p.crest_height_m,
                                p.ground_elevation_m, ice_thickness_mm=p.ice_thickness,
                                ice_speed_m_s=p.ice_wind_m_s),
                  sections=[LatticeSection(s, (s - 1) * p.section_length, s * p.section_length,
                                           b.width((s - 0.5) * p.section_length)) for s in range(1, b.n + 1)],
                  appurtenances=apps, soil_bearing_kpa=p.soil_bearing_kpa, pad_thickness=p.pad_thickness,
                  splice_bolts=p.splice_bolts, bolt_diameter=BOLT_DIAMETER, bolt_hole=BOLT_HOLE,
                  tab_thickness=catalog.stock_profile(p.tab_profile).size_b)
    bolts = bolt_count(b.n, next(pt.quantity for pt in parts if pt.name == "gusset-tab"), p.splice_bolts)
    purchased = [PurchasedItem(BOLT_ID, bolts, "M10 through-bolts: legs, braces, tabs, splices, clips, mast plates"),
                 PurchasedItem(ANCHOR_ID, 12, "four per base plate"),
                 PurchasedItem(p.dish, p.dish_count, f"dishes on the mast, each on a {MOUNT_CHILD}")]
    guying: dict[str, Any] = {}
    if p.support == "guyed":
        from osehw.designs.tower_guys import guyed

        frame, plates, purchased, guying = guyed(b, frame, plates, purchased)
    link = RadioLink(p.hop_km, p.frequency_ghz, p.clutter_m, p.k_factor, p.fresnel_clearance, p.radio, p.dish,
                     p.misc_loss_db, p.required_margin_db, p.rain_rate_mm_h, p.availability_pct,
                     round(dish_z / 1000.0, 3))
    mass = sum(pt.length / 1000 * catalog.stock_profile(pt.profile).kg_per_m * pt.quantity for pt in parts) + sum(
        pt.solid.Volume() * 1e-9 * catalog.material(pt.material).density_kg_m3 * pt.quantity for pt in plates)
    summary = {"sections": b.n, "lattice_height_m": round(b.height / 1000, 3), "metal_mass_kg": round(mass, 1),
               "dish_height_m": round(dish_z / 1000, 3),
               "required_antenna_height_m": round(required_antenna_height_m(p), 3),
               "members": len(b.members), "nodes": len(b.nodes), "radio": radio(p.radio).description, **guying}
    assy = assembly(b)
    if p.dish_count:
        place_mounts(assy, children[MOUNT_CHILD], p.dish_count, dish_z, catalog.stock_profile(p.mast_profile).size_a,
                     mount_half_height(p))
    return Design("tower", assy, plates, parts, purchased, summary=summary, frame=frame, radio_link=link,
                  children=children)
