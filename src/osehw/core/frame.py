"""What a structure design hands to the frame analysis: the members' axes and sections, the supports, the
equipment it carries and the wind it must stand (plain data; the analysis builds the FE model from it).

Coordinates in mm, z up, the tower's axis at x = y = 0. A member's ``part`` names the stock part it is cut
from (one stock part may be several members between nodes: a leg is one bar per section, split at every
brace point).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FrameMember:
    name: str
    i: str  # node names
    j: str
    profile: str  # a bom/stock_profiles.csv id
    role: str  # "leg" | "diagonal" | "horizontal" | "mast" | "link"
    part: str = ""  # the StockPart (or plate) it belongs to
    pinned: bool = False  # bolted with one bolt at each end: no moment carried
    face: int = -1  # the lattice face it lies in (0–2), -1 for legs, mast and links
    section: int = 0  # tower section, 1 = base
    continuous_at: str = ""  # an end node where a pinned member runs on unbroken (a K horizontal's midpoint)


@dataclass(frozen=True)
class Appurtenance:
    """Equipment on the structure: weight, wind area (EPA = Ca·A) and the half-power beamwidth a dish must
    hold its aim within (0 for no aiming limit), attached at ``node``."""

    name: str
    node: str
    weight_kg: float
    epa_m2: float
    beamwidth_deg: float = 0.0


@dataclass(frozen=True)
class WindCase:
    """The wind the structure is checked for (TIA-222-H): basic 3-s gust speed [m/s] for strength, the
    service wind for the dish-aim check, exposure category, topographic category and crest height, the
    ground elevation above sea level, and the map ice thickness with its wind speed (0: no ice)."""

    speed_m_s: float
    service_speed_m_s: float
    exposure: str
    topography: int = 1
    crest_height_m: float = 0.0
    ground_elevation_m: float = 0.0
    directions_deg: tuple[float, ...] = (0.0, 30.0, 60.0, 90.0)
    ice_thickness_mm: float = 0.0  # map radial glaze ice ti (TIA-222-H §2.6.10); 0 = no ice cases
    ice_speed_m_s: float = 0.0  # the 3-s gust speed that comes with the ice (TIA-222-H Annex B map)


@dataclass(frozen=True)
class LatticeSection:
    """One section's geometry for the wind: its height band [mm] and mean face width [mm]."""

    index: int
    z_bottom: float
    z_top: float
    face_width: float


@dataclass(frozen=True)
class Guy:
    """A guy strand from a mast node to an anchor node: its catalog strand (steel area [mm²], modulus [MPa],
    minimum breaking strength [N], weight [N/mm], diameter [mm]) and its initial tension [N]."""

    name: str
    mast_node: str
    anchor_node: str
    strand: str
    area: float
    modulus: float
    breaking_n: float
    weight_n_per_mm: float
    diameter: float
    initial_tension_n: float


@dataclass
class Frame:
    nodes: dict[str, tuple[float, float, float]]
    members: list[FrameMember]
    supports: list[str]
    alloy: str
    wind: WindCase
    sections: list[LatticeSection] = field(default_factory=list)
    appurtenances: list[Appurtenance] = field(default_factory=list)
    cross_section: str = "triangular"
    structure: str = "self_supporting"  # TIA-222 gust class: self_supporting | guyed
    soil_bearing_kpa: float = 0.0  # nominal bearing capacity under the pad; 0 = no foundation sized
    pad_thickness: float = 600.0  # [mm]
    splice_bolts: int = 0  # through-bolts on each leg end at a splice (0: no splice check)
    bolt_diameter: float = 10.0  # [mm]
    bolt_hole: float = 11.0  # [mm]
    tab_thickness: float = 6.35  # gusset tabs and splice plates [mm]
    support_fixity: str = "pinned"  # "pinned" (translations held) | "fixed" (rotations too) | "pivot" (translations
    # and the twist about z held: a guyed mast's pin base)
    guys: list[Guy] = field(default_factory=list)  # tension-only strands, each to its own anchor node
    connection_allowance: float = 0.20  # bolts, plates, tabs as a share of the members' dead weight (the cut list
    # and bolts of the default tower weigh 22 % over its members' centre lines; tests compare)
