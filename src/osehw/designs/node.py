"""A whole wireless node: the tower with its dishes, sector antennas on their mounts, the enclosure for the
equipment of its links, the off-grid power system for its load, and the site work and labour to stand it up.

The children pass loads to each other (``Design.loads``):
- each link's radio draws watts (``bom/electrical_loads.csv``) → the power system's load (``params_for_loads``);
- the equipment each link puts in the box (a surge protector per radio cable, beside the router) → the
  enclosure's contents, so its size and heat follow the links (the radios are outdoor units on the mast:
  their own heat leaves there, not in the box);
- the enclosure (weight, EPA at its height) and the sector mounts (weight, EPA at the mast) → loads the tower
  carries (``tower.build_tower(p, carried)``); the tower's own dishes it builds from ``dish_count``.

Children are built through the composite design's child machinery (``composite.child_params``: the tower by
design file or inline), so the node's sheet parts nest together by material and its bill of materials rolls up
with a subtotal per child. Site work (foundation concrete and steel, grounding, lightning protection, fence,
cable) and labour hours by trade (``labour-*`` rows of ``bom/catalog.csv``, burdened rates with their source)
are two children of their own, holding only purchased items, so each has its subtotal too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import cadquery as cq
from pydantic import BaseModel, ConfigDict, Field

from osehw import catalog
from osehw.catalog import power
from osehw.catalog.radios import dishes
from osehw.core.design import Design, Load, PurchasedItem
from osehw.core.params import (
    Choices,
    DesignParams,
    ParamError,
    Problem,
    param,
    validate,
)
from osehw.core.registry import unknown_message
from osehw.designs import register
from osehw.designs.composite import ChildSpec, PurchasedSpec, child_params

SURGE_ID = "surge-eth-poe"  # one per radio cable where it enters the box (bom/equipment.csv)
SECTOR_ANTENNA_ID = "sector-5g-120-19dbi"
CABLE_ID = "cable-cat6-outdoor"
MAX_SECTORS = 6  # the antenna-mount design's largest count
# a passive-PoE switch's DC-DC stage from the battery bus to the radios' 24 V: 90 % (estimate of the class)
POE_EFFICIENCY = 0.90
CABLE_SPARE_M = 10.0  # per radio cable: the run from the tower base to the box and drip loops [m] (estimate)


class LinkSpec(BaseModel):
    """One radio link of the node: a backhaul hop on a dish, or a subscriber sector on a sector antenna."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    name: str
    kind: Literal["backhaul", "access"] = "backhaul"
    radio: str = "ubnt-airfiber-5x"  # an id in bom/electrical_loads.csv and bom/catalog.csv
    dish: str = "rocketdish-5g34"  # backhaul: an id in bom/dishes.csv (the tower carries it)
    hop_km: float = Field(16.1, gt=0, le=100)  # backhaul: the hop's length (the tower's own link sets its height)


class LabourSpec(BaseModel):
    """Hours of one trade: ``hours`` fixed, plus ``per_section`` × tower sections, plus ``per_link`` × links."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    trade: str  # a labour-* id in bom/catalog.csv (unit h)
    hours: float = Field(0.0, ge=0, le=10_000)
    per_section: float = Field(0.0, ge=0, le=1_000)
    per_link: float = Field(0.0, ge=0, le=1_000)
    note: str = ""


class LifetimeSpec(BaseModel):
    """Service lives [years] the economics annualises each BOM row over, by what the row is."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    # EN 1990:2002 Table 2.1 gives indicative design working lives: 10-25 years for replaceable structural
    # parts, 15-30 for agricultural and similar structures, 50 for common structures; a bolted aluminium
    # lattice on a concrete pad is taken at 30 (estimate).
    structure: float = Field(30.0, ge=1, le=100)
    # PV makers warrant 80-85 % of rated power after 25 years (e.g. Canadian Solar's linear power warranty)
    pv_module: float = Field(25.0, ge=1, le=50)
    electronics: float = Field(10.0, ge=1, le=30)  # radios, router, controllers: estimate
    enclosure: float = Field(15.0, ge=1, le=50)  # HDPE box, silicone gasket, glands: estimate
    battery: float = Field(0.0, ge=0, le=30)  # 0: from the power system's energy analysis (cycle + float life)
    fallback_battery: float = Field(5.0, ge=1, le=30)  # when no energy analysis ran (no site): estimate


class EconomicsSpec(BaseModel):
    """The terms the economics analysis judges the node on."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    allotment_usd: float = Field(100_000.0, gt=0)  # the seed's capital per node
    nodes: int = Field(30_000, ge=1)  # the seed's network
    subscribers: float = Field(333.0, gt=0)  # 10M subscribers / 30,000 nodes
    subscription_usd_per_year: float = Field(25.0, gt=0)  # the seed's at-cost price
    # real discount rate: OMB Circular A-94 (2023 revision) sets 2.0 % real for public projects; the old 7 %
    # rate is the high end of the tornado
    discount_rate: float = Field(0.05, ge=0, le=0.3)
    lifetimes: LifetimeSpec = LifetimeSpec()
    maintenance_visits_per_year: float = Field(1.0, ge=0, le=52)
    visit_hours: float = Field(8.0, ge=0, le=200)  # crew hours per visit (estimate)
    visit_trade: str = "labour-tower-crew"
    # IRS Notice 2025-5: standard mileage rate 70 cents per mile for business use in 2025
    visit_miles: float = Field(200.0, ge=0, le=5_000)  # round trip per visit (estimate)
    mileage_usd_per_mile: float = Field(0.70, ge=0, le=5)
    insurance_fraction: float = Field(0.01, ge=0, le=0.2)  # of capital per year (estimate)
    ground_lease_usd_per_year: float = Field(1200.0, ge=0, le=100_000)  # small rural lot (estimate)
    other_usd_per_year: dict[str, float] = {}  # e.g. a gateway's fibre transit


@dataclass(frozen=True)
class NodeSpec:
    """What the node's analyses read: the economics terms and the children's roles."""

    economics: EconomicsSpec
    tower_path: str  # the child that is the tower ("tower")
    sections: int  # the tower's lattice sections
    labour: tuple[LabourSpec, ...]
    links: int
    carried: tuple[Load, ...]  # what the node hands the tower to carry


def _default_links() -> list[LinkSpec]:
    return [LinkSpec(name="hop-1"), LinkSpec(name="hop-2")]


DEFAULT_SITE_WORK = [
    PurchasedSpec(id="excavator-rental-day", quantity=1, note="dig the pad"),
    PurchasedSpec(id="ground-rod-5/8x8ft", quantity=4, note="one at each tower leg and one at the box (NFPA 780 ring)"),
    PurchasedSpec(id="ground-wire-cu-2awg", quantity=30, note="ring round the pad, bonds to the legs and the box"),
    PurchasedSpec(id="ground-exothermic-weld", quantity=8, note="rod and leg bonds"),
    PurchasedSpec(id="air-terminal-copper", quantity=1, note="above the mast"),
    PurchasedSpec(id="surge-dc-pv", quantity=1, note="PV input at the controller"),
    PurchasedSpec(id="fence-chainlink-1.8m", quantity=60, note="compound round the tower and the array"),
    PurchasedSpec(id="fence-gate-1.2m", quantity=1),
    PurchasedSpec(id="cable-pv-6mm2", quantity=40, note="array to controller, both poles"),
    PurchasedSpec(id="conduit-pvc-25mm", quantity=20, note="buried runs to the box"),
]

DEFAULT_LABOUR = [
    LabourSpec(trade="labour-construction", hours=32, note="excavate, form, place rebar and anchors, pour the pad; "
               "fence (estimate)"),
    LabourSpec(trade="labour-tower-crew", hours=8, per_section=6, note="rig, assemble and stand the lattice "
               "section by section (estimate)"),
    LabourSpec(trade="labour-electrician", hours=16, note="PV array, battery, controller, grounding ring, surge "
               "protection (estimate)"),
    LabourSpec(trade="labour-network-tech", hours=4, per_link=4, note="radios, router, aim and test each link "
               "(estimate)"),
]


class NodeParams(DesignParams):
    tower: ChildSpec = param(ChildSpec(file="tower"), "-", "the tower: {file: VARIANT} or {design: tower, params: "
                             "{…}}; its dish_count and dish follow the backhaul links")
    links: list[LinkSpec] = param(_default_links(), "-", "radio links: {name, kind: backhaul|access, radio "
                                  "(bom/electrical_loads.csv), dish (bom/dishes.csv, backhaul), hop_km}")
    cabinet: list[str] = param(["mikrotik-hex-poe", "netonix-ws-12-250-dc", "fuse-block-6way"], "-", "equipment "
                               "in the box besides one surge protector per radio cable, ids in bom/equipment.csv "
                               "(a PoE switch feeds the radios from the battery bus)")
    fibre_handoff: bool = param(False, "-", "a gateway: SFP module and fibre termination box for the fibre "
                                "hand-off")
    enclosure: dict[str, Any] = param({}, "-", "node-enclosure parameters beyond the equipment (material, "
                                      "wall_thickness, …)")
    enclosure_height: float = param(2000.0, "mm", "enclosure centre above the tower base (on a leg)", ge=500.0,
                                    le=10_000.0)
    power: dict[str, Any] = param({}, "-", "power-system parameters beyond the load (modules, battery_strings, …; "
                                  "search: true for the least-cost sizing at the site)")
    sector_weight_kg: float = param(6.0, "kg", "one sector antenna's weight (datasheet class; estimate)", ge=0.5,
                                    le=50.0)
    site_work: list[PurchasedSpec] = param(DEFAULT_SITE_WORK, "-", "site work items: {id (bom/catalog.csv), "
                                           "quantity, note}; the pad's concrete, rebar and the radio cable are added")
    labour: list[LabourSpec] = param(DEFAULT_LABOUR, "-", "labour by trade: {trade (labour-* in bom/catalog.csv), "
                                     "hours, per_section, per_link, note}")
    economics: EconomicsSpec = param(EconomicsSpec(), "-", "the terms of the economics analysis (allotment, "
                                     "subscribers, discount rate, lifetimes, O&M)")

    @classmethod
    def choices(cls) -> dict[str, Choices]:
        return {"cabinet": Choices(tuple(sorted(catalog.equipment())))}

    def rules(self) -> list[tuple[str, Any, str]]:
        broken: list[tuple[str, Any, str]] = []
        loads, items, equipment = power.electrical_loads(), catalog.items(), catalog.equipment()
        names = [link.name for link in self.links]
        if len(set(names)) != len(names):
            broken.append(("links", names, "each link needs its own name"))
        if not self.links:
            broken.append(("links", [], "a node needs at least one link"))
        for i, link in enumerate(self.links):
            if link.radio not in loads:
                broken.append((f"links[{i}].radio", link.radio, unknown_message("electrical load", link.radio, loads)))
            elif link.radio not in items:
                broken.append((f"links[{i}].radio", link.radio, "has no price in bom/catalog.csv"))
            if link.kind == "backhaul" and link.dish not in dishes():
                broken.append((f"links[{i}].dish", link.dish, unknown_message("dish", link.dish, dishes())))
        backhaul_dishes = sorted({link.dish for link in self.links if link.kind == "backhaul"})
        if len(backhaul_dishes) > 1:
            broken.append(("links", backhaul_dishes, "the tower carries one dish model: give every backhaul link "
                           "the same dish"))
        for i, eid in enumerate(self.cabinet):
            if eid not in equipment:
                broken.append((f"cabinet[{i}]", eid, unknown_message("equipment", eid, equipment)))
        for i, item in enumerate(self.site_work):
            if item.id not in items:
                broken.append((f"site_work[{i}].id", item.id, unknown_message("catalog item", item.id, items)))
        for i, lab in enumerate(self.labour):
            if lab.trade not in items or items[lab.trade].unit != "h":
                trades = sorted(k for k, v in items.items() if v.unit == "h")
                broken.append((f"labour[{i}].trade", lab.trade, unknown_message("labour trade", lab.trade, trades)))
        if self.economics.visit_trade not in items:
            broken.append(("economics.visit_trade", self.economics.visit_trade, "not in bom/catalog.csv"))
        if len(access(self)) > MAX_SECTORS:
            broken.append(("links", len(access(self)), f"at most {MAX_SECTORS} access sectors (one mount each on the "
                           "mast)"))
        if broken:
            return broken
        try:
            _, tower_p = tower_params(self)
        except ParamError as exc:
            return [(f"tower.{p.field}", p.value, p.rule) for p in exc.problems]
        for prefix, make in (("enclosure", lambda: enclosure_params(self, tower_p)),
                             ("power", lambda: power_params(self))):
            try:
                make()
            except ParamError as exc:
                broken += [(p.field if p.field == prefix else f"{prefix}.{p.field}", p.value, p.rule)
                           for p in exc.problems]
        return broken

    def nested(self) -> dict[str, tuple[Any, DesignParams]]:
        """The tower, enclosure and power system with the parameters the node gives them."""
        from osehw.designs import load_all

        registry = load_all()
        kind, tower_p = tower_params(self)
        return {"tower": (kind, tower_p),
                "enclosure": (registry.get("node-enclosure"), enclosure_params(self, tower_p)),
                "power-system": (registry.get("power-system"), power_params(self))}


def backhaul(p: NodeParams) -> list[LinkSpec]:
    return [link for link in p.links if link.kind == "backhaul"]


def access(p: NodeParams) -> list[LinkSpec]:
    return [link for link in p.links if link.kind == "access"]


def tower_params(p: NodeParams) -> tuple[Any, DesignParams]:
    """The tower's design type and parameters, its dish count and dish following the backhaul links."""
    kind, params = child_params(p.tower, "tower")
    if kind.name != "tower":
        raise ParamError([Problem("tower", "design", kind.name, "the node's tower must be a 'tower' design")])
    links = backhaul(p)
    fields: dict[str, Any] = {"dish_count": len(links)}
    if links:
        fields["dish"] = links[0].dish
    return kind, validate(kind.schema, {**params.model_dump(), **fields}, "tower")


def link_loads(p: NodeParams) -> list[Load]:
    """Each link's radio as the battery bus sees it: its draw through the PoE switch's DC-DC stage,
    ``average_w / POE_EFFICIENCY``; the stage's loss is heat in the box, the radio's own heat leaves at the mast."""
    table = power.electrical_loads()
    out = []
    for link in p.links:
        radio_w = table[link.radio].average_w
        out.append(Load(f"link {link.name} ({link.radio})", electrical_w=round(radio_w / POE_EFFICIENCY, 4),
                        heat_w=round(radio_w * (1 / POE_EFFICIENCY - 1), 4)))
    return out


def with_poe_heat(enclosure: Design, poe_heat_w: float) -> Design:
    """The enclosure with the PoE stage's heat added to what its thermal check and its load carry."""
    if not poe_heat_w or enclosure.sealed_box is None:
        return enclosure
    box = replace(enclosure.sealed_box, heat_w=round(enclosure.sealed_box.heat_w + poe_heat_w, 4))
    loads = [replace(ld, heat_w=round(ld.heat_w + poe_heat_w, 4)) if ld.name == "enclosure" else ld
             for ld in enclosure.loads]
    return replace(enclosure, sealed_box=box, loads=loads)


def cabinet_equipment(p: NodeParams) -> list[str]:
    """What the box holds: the cabinet equipment and one surge protector per radio cable."""
    return list(p.cabinet) + [SURGE_ID] * len(p.links)


def enclosure_params(p: NodeParams, tower_p: DesignParams) -> DesignParams:
    from osehw.designs import load_all

    kind = load_all().get("node-enclosure")
    glands = len(p.links) + 2  # a gland per radio cable, PV and ground (M25 for the battery stays)
    leg_od = catalog.stock_profile(tower_p.leg_profile).size_a
    raw = {"m20_glands": min(glands, 12), "pole_diameter": leg_od, **p.enclosure,
           "equipment": cabinet_equipment(p)}
    return validate(kind.schema, raw, "enclosure")


def power_params(p: NodeParams) -> DesignParams:
    """The power system with the node's load: the radios' and the cabinet's watts (``params_for_loads``)."""
    from osehw.designs.power_system import PowerSystemParams, params_for_loads

    table = power.electrical_loads()
    cabinet = [Load(f"cabinet {eid}", electrical_w=table[eid].average_w) for eid in p.cabinet if eid in table]
    # the least-cost search (seconds per build) only when asked: a node is built often, its sizing is given
    fields = {"search": False, **p.power}
    validate(PowerSystemParams, {"equipment": [], **fields}, "power")  # the design file's own fields, by name
    try:
        made = params_for_loads(link_loads(p) + cabinet, **fields)
    except ValueError as exc:  # pydantic's ValidationError: the load itself is out of range
        raise ParamError([Problem("power", "extra_load_w", p.power, str(exc).splitlines()[-1].strip())]) from None
    return validate(PowerSystemParams, made.model_dump(), "power")


def sector_mounts(p: NodeParams, tower_p: DesignParams) -> Design | None:
    """The sector antennas' mounts on the mast (antenna-mount design), one per access link, at the dishes'
    height."""
    from osehw.designs import load_all
    from osehw.designs.tower import dish_height

    n = len(access(p))
    if not n:
        return None
    kind = load_all().get("antenna-mount")
    height = dish_height(tower_p)
    mp = validate(kind.schema, {"antenna": "sector", "pipe": tower_p.mast_profile, "count": n,
                                "sector_weight_kg": p.sector_weight_kg, "height": round(height, 1)}, "sector-mounts")
    mounts = kind.build(mp)
    mounts.purchased.append(PurchasedItem(SECTOR_ANTENNA_ID, n, "one per access link"))
    return mounts


def site_work(p: NodeParams, tower: Design) -> Design:
    """The foundation, grounding, lightning protection, fence and cable: purchased items only. Radio cable
    runs up the tower to the dishes' height and on to the box."""
    height_m = tower.radio_link.antenna_height_m if tower.radio_link else 0.0
    cable_m = round(len(p.links) * (height_m + CABLE_SPARE_M), 1)
    # the pad's concrete and steel are bought with the tower: its structure analysis sizes the pad
    items = [PurchasedItem(CABLE_ID, cable_m, f"{len(p.links)} radio cables × ({height_m:.1f} m up the tower "
                                                  f"+ {CABLE_SPARE_M:g} m)")]
    if p.fibre_handoff:
        items += [PurchasedItem("sfp-1g-lx", 1, "fibre hand-off into the router's SFP cage"),
                  PurchasedItem("fibre-termination-box", 1, "where the provider's fibre ends")]
    items += [PurchasedItem(s.id, s.quantity, s.note) for s in p.site_work]
    return Design("site-work", None, purchased=items)


def labour_hours(p: NodeParams, sections: int) -> list[tuple[LabourSpec, float]]:
    return [(lab, round(lab.hours + lab.per_section * sections + lab.per_link * len(p.links), 2)) for lab in p.labour]


def hours_by_trade(p: NodeParams, sections: int) -> dict[str, float]:
    merged: dict[str, float] = {}
    for lab, hours in labour_hours(p, sections):
        merged[lab.trade] = round(merged.get(lab.trade, 0.0) + hours, 2)
    return dict(sorted(merged.items()))


def labour(p: NodeParams, sections: int) -> Design:
    return Design("labour", None, purchased=[PurchasedItem(trade, hours, "hours") for trade, hours
                                             in hours_by_trade(p, sections).items() if hours > 0])


def radios(p: NodeParams) -> Design:
    """The radios of every link (priced in bom/catalog.csv): a child of their own, so their subtotal shows."""
    counts: dict[str, int] = {}
    for link in p.links:
        counts[link.radio] = counts.get(link.radio, 0) + 1
    return Design("radios", None, purchased=[PurchasedItem(r, n, "one per link end at this node")
                                             for r, n in sorted(counts.items())],
                  loads=[replace(ld, heat_w=0.0) for ld in link_loads(p)])  # the box holds their PoE heat


ARRAY_CLEARANCE = 3000.0  # clear ground between the tower's base and the PV array's nearest edge [mm]


def leg0_y(tower: Design, z: float) -> float:
    """Where leg 0 (on +y) stands at height ``z`` [mm], from the tower's frame nodes (legs taper linearly)."""
    pts = sorted((xyz[2], xyz[1]) for name, xyz in tower.frame.nodes.items() if name.startswith("L0@"))
    for (z0, y0), (z1, y1) in zip(pts, pts[1:]):
        if z0 <= z <= z1:
            return y0 + (y1 - y0) * (z - z0) / (z1 - z0)
    return pts[-1][1]


def place_children(p: NodeParams, children: dict[str, Design]) -> cq.Assembly:
    """One assembly: the tower at the origin; the enclosure upright, its back against leg 0 (on +y) at
    ``enclosure_height``; the PV array on its rack south (−y) of the tower with ARRAY_CLEARANCE between them.
    The sector mounts are left out of the model: where each clamps on the mast is the tower's to place (its own
    dish mounts likewise), and the mount's model carries a stand-in pipe that would overlap the mast."""
    assembly = cq.Assembly(name="node")
    tower = children["tower"]
    assembly.add(tower.assembly, name="tower")
    if tower.frame is not None and children["enclosure"].assembly is not None:
        leg_od = catalog.stock_profile(tower_params(p)[1].leg_profile).size_a
        # the leg leans inwards as it rises: the box's back clears it at the box's lowest point (model y → −z)
        lowest = p.enclosure_height - children["enclosure"].assembly.toCompound().BoundingBox().ymax
        y = leg0_y(tower, lowest) + leg_od / 2 + 2.0
        # rotated −90° about x: the back panel (z = 0) faces the leg, the lid faces outwards (+y)
        assembly.add(children["enclosure"].assembly, name="enclosure",
                     loc=cq.Location(cq.Vector(0.0, y, p.enclosure_height), cq.Vector(1, 0, 0), -90.0))
    rack = children["power-system"].children.get("rack")
    if rack is not None and rack.assembly is not None:
        box = rack.assembly.toCompound().BoundingBox()
        base = max(abs(xyz[1]) for xyz in tower.frame.nodes.values()) if tower.frame is not None else 0.0
        assembly.add(rack.assembly, name="power-system-rack",
                     loc=cq.Location(cq.Vector(-(box.xmin + box.xmax) / 2, -base - ARRAY_CLEARANCE - box.ymax, 0.0)))
    return assembly


@register("node", "a whole wireless node: tower, dishes and sectors, enclosure, power system, site work and labour",
          NodeParams)
def build(p: NodeParams) -> Design:  # type: ignore[override]
    nested = p.nested()
    enclosure = nested["enclosure"][0].build(nested["enclosure"][1])
    enclosure = with_poe_heat(enclosure, sum(ld.heat_w for ld in link_loads(p)))
    # the box hangs on a tower leg: its weight and lid EPA at its height
    box_load = next(ld for ld in enclosure.loads if ld.name == "enclosure")
    carried = [replace(box_load, height=p.enclosure_height)]
    tower_p = nested["tower"][1]
    mounts = sector_mounts(p, tower_p)  # on the mast at the dishes' height
    if mounts is not None:
        carried += [replace(ld, electrical_w=0.0, heat_w=0.0) for ld in mounts.loads]
    from osehw.designs.tower import build_tower

    tower = build_tower(tower_p, carried)
    power_system = nested["power-system"][0].build(nested["power-system"][1])
    sections = int(tower.summary["sections"])
    children = {"tower": tower, "enclosure": enclosure, "power-system": power_system, "radios": radios(p),
                "site-work": site_work(p, tower), "labour": labour(p, sections)}
    if mounts is not None:
        children["sector-mounts"] = mounts
    assembly = place_children(p, children)
    findings = []
    spec = NodeSpec(p.economics, "tower", sections, tuple(p.labour), len(p.links), tuple(carried))
    total_w = sum(ld.electrical_w for ld in link_loads(p))
    summary = {"links": len(p.links), "backhaul_links": len(backhaul(p)), "access_links": len(access(p)),
               "sections": sections, "dish_height_m": tower.summary.get("dish_height_m"),
               "radio_load_w": round(total_w, 3), "power_load_w": power_system.summary["load_w"],
               "enclosure_heat_w": enclosure.sealed_box.heat_w if enclosure.sealed_box else 0.0,
               "carried": [{"name": ld.name, "weight_kg": ld.weight_kg, "wind_area_m2": ld.wind_area_m2,
                            "height": ld.height} for ld in carried],
               "labour_hours": hours_by_trade(p, sections)}
    return Design("node", assembly, children=children, summary=summary, findings=findings, node=spec)
