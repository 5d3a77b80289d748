"""A plan file (``designs/plan-*.yaml``): which region, which grid, which radio, which clutter — read strictly.

    plan: usa              # the plan's name: outputs go to outputs/plan-<name>/
    params: {...}          # any field left out takes its default (see PlanParams)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from osehw.core.params import (
    DesignParams,
    ParamError,
    _did_you_mean,
    param,
    read_parameter_file,
    validate,
)

PLAN_FILE_KEYS = ["plan", "params", "title", "notes"]

LOWER_48 = ("AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "IA", "ID", "IL", "IN", "KS", "KY", "LA",
            "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH",
            "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY")


class PlanParams(DesignParams):
    states: list[str] = param([], "-", "USPS codes of the states to plan (empty: the lower 48 and DC)")
    resolution: int = param(5, "-", "H3 resolution of the site grid (5: cells of 253 km², ~17 km apart)", ge=3, le=7)
    partition_resolution: int = param(2, "-", "H3 resolution of the parent cells the sites are split by for "
                                      "Dask (each partition one task)", ge=0, le=4)
    sites_file: str = param("", "-", "a CSV (id,latitude,longitude) or GeoJSON of points: the sites, in place "
                            "of the H3 grid (relative to the plan file)")
    gateways_file: str = param("", "-", "a CSV or GeoJSON of fibre points: each makes its nearest site a gateway")
    dem_file: str = param("", "-", "a GeoTIFF digital elevation model in longitude/latitude degrees, metres above "
                          "sea level (relative to the plan file; every worker must be able to read it): each "
                          "link's clearance then follows the terrain profile along its path")
    max_link_km: float = param(25.0, "km", "longest candidate link between two user sites (the H3 grid links "
                               "its cells' neighbours)", gt=0.0, le=100.0)
    radio: str = param("airfiber-5x", "-", "radio on every link, an id in bom/radios.csv")
    dish: str = param("rocketdish-5g30", "-", "dish at both ends of every link, an id in bom/dishes.csv")
    misc_loss_db: float = param(1.0, "dB", "cable and connector loss per link", ge=0.0, le=20.0)
    required_margin_db: float = param(10.0, "dB", "fade margin a link must keep after rain at its fastest "
                                      "usable modulation", ge=0.0, le=60.0)
    availability_pct: float = param(99.99, "%", "availability the rain fade is taken at", ge=99.0, le=99.999)
    rain_rate_mm_h: float = param(50.0, "mm/h", "rain rate exceeded 0.01 % of the year, R0.01 (ITU-R P.837 "
                                  "map: 25-95 mm/h over the lower 48)", ge=0.0, le=200.0)
    rain_rate_by_state: dict[str, float] = param({}, "mm/h", "R0.01 per state where it differs")
    clutter_m: float = param(15.0, "m", "clutter (trees, buildings) the path must clear everywhere", ge=0.0,
                             le=60.0)
    clutter_by_state: dict[str, float] = param({}, "m", "clutter height per state where it differs")
    k_factor: float = param(4.0 / 3.0, "-", "effective earth-radius factor", ge=0.5, le=4.0)
    fresnel_clearance: float = param(0.6, "-", "fraction of the first Fresnel zone kept clear", ge=0.0, le=1.0)
    section_length: float = param(3048.0, "mm", "tower section length (the tower design's default)", ge=2000.0,
                                  le=6096.0)
    mast_above: float = param(1000.0, "mm", "mast above the lattice (the tower design's default)", ge=300.0,
                              le=3000.0)
    dish_below_mast_top: float = param(300.0, "mm", "dish centre below the mast's top (designs/tower.py)",
                                       ge=0.0, le=1000.0)
    max_sections: int = param(16, "-", "tallest tower the catalogue offers, at most the tower design's 16 "
                              "sections (designs/tower.py): a site needing more is flagged and priced as this",
                              ge=1, le=16)
    busy_hour_mbps_per_subscriber: float = param(1.0, "Mbit/s", "each subscriber's busy-hour demand routed to a "
                                                 "gateway (an estimate)", ge=0.0, le=1000.0)
    capacity_mbps_by_modulation: dict[str, float] = param(
        {"1x": 60.0, "8x": 480.0}, "Mbit/s", "a link's capacity at each modulation of the radio (airFiber 5X "
        "datasheet: up to ~500 Mbit/s at 8x in 50 MHz; 1x an eighth of it, an estimate)")
    build_classes: bool = param(True, "-", "build each node class once through the pipeline for its cost, metal "
                                "and power (minutes with an empty cache, seconds from it); false: sites, links "
                                "and routing only, no cost")
    subscribers_per_node: float = param(333.0, "-", "subscribers per node (10M over 30,000 nodes)", gt=0.0)
    budget_per_node_usd: float = param(100_000.0, "USD", "the seed's capital allotment per node", gt=0.0)
    target_usd_per_sub_year: float = param(25.0, "USD", "the seed's cost per subscriber-year", gt=0.0)

    def rules(self) -> list[tuple[str, Any, str]]:
        from osehw.catalog.radios import dishes, radios

        broken: list[tuple[str, Any, str]] = []
        for field in ("states",):
            for s in self.states:
                if s not in LOWER_48:
                    broken.append((field, s, f"not a lower-48 state or DC; one of {', '.join(LOWER_48)}"))
        for field in ("clutter_by_state", "rain_rate_by_state"):
            for s, v in getattr(self, field).items():
                if s not in LOWER_48:
                    broken.append((f"{field}.{s}", v, "not a lower-48 state code"))
                elif not 0.0 <= v <= 200.0:
                    broken.append((f"{field}.{s}", v, "must be 0-200"))
        if self.radio not in radios():
            broken.append(("radio", self.radio, _did_you_mean("radio", self.radio, sorted(radios()))))
        if self.dish not in dishes():
            broken.append(("dish", self.dish, _did_you_mean("dish", self.dish, sorted(dishes()))))
        if self.partition_resolution >= self.resolution:
            broken.append(("partition_resolution", self.partition_resolution,
                           f"must be coarser (smaller) than resolution {self.resolution}"))
        return broken

    def region(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.states))) if self.states else LOWER_48


def read_plan(path: Path, overrides: dict[str, Any] | None = None) -> tuple[str, PlanParams]:
    """The plan's name and validated parameters, or ParamError naming the file, field, value and rule."""
    label, _, name, raw, problems = read_parameter_file(path, PLAN_FILE_KEYS, "plan",
                                                       "the plan's name (outputs/plan-<name>/)")
    if problems:
        raise ParamError(problems)
    return name, validate(PlanParams, dict(raw, **(overrides or {})), label)
