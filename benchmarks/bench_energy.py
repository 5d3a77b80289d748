"""Benchmark: one year of the hourly SOC loop, and the least-cost search over a realistic grid.

Run: ``python benchmarks/bench_energy.py [--site greensboro-nc] [--load-w 60] [--max-modules 24]``

Targets (issue 10): one simulated year ≤ 50 ms; the search ≤ 10 s on 2 cores. Times are measured, not
asserted (a shared machine's load is not the code's fault). The first call compiles the numba loop
(or loads it from numba's cache); that is timed apart.

Measured (2 cores shared with other jobs, load average ~2.8; Greensboro, 60 W, cs6u-330p, 6 tilts × 3
voltages × ≤ 24 modules × 3 blocks × ≤ 4 strings = 3,456 simulated years):
  compile/load of the loop:       0.3-0.45 s from numba's cache (~2.5 s the first time on a machine)
  one year, full hourly result:   0.54 ms (median of 200)
  one year, totals only:          0.61 ms (with the rainflow count)
  search:                         2.7-3.9 s, of which 0.4-0.6 s the six tilts' PV years
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from osehw import catalog
from osehw.analyses.energy import search_tilts
from osehw.catalog import power
from osehw.core.site import load_site
from osehw.core.weather import weather_year
from osehw.physics import battery
from osehw.physics.energy_balance import Battery, simulate, year_totals
from osehw.physics.sizing import Costs, least_cost
from osehw.physics.solar import array_year


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="greensboro-nc")
    parser.add_argument("--load-w", type=float, default=60.0)
    parser.add_argument("--max-modules", type=int, default=24)
    args = parser.parse_args()

    site = load_site(args.site)
    weather = weather_year(site)
    temp = battery.battery_temperature(weather.data["temp_air"].to_numpy())
    load = np.full(8760, args.load_w)
    pv = array_year(weather.data, site.latitude, site.longitude, site.elevation_m, site.latitude).dc_w_per_kwp
    bank = Battery(4800.0, max_charge_w=960.0)

    t = time.perf_counter()
    simulate(pv * 1.5, load, bank, temp)
    year_totals(pv, 1.5, load, bank, temp)
    print(f"compile/load of the loop:     {time.perf_counter() - t:7.3f} s")
    for label, call in (("one year, full hourly result", lambda: simulate(pv * 1.5, load, bank, temp)),
                        ("one year, totals only", lambda: year_totals(pv, 1.5, load, bank, temp))):
        times = []
        for _ in range(200):
            t = time.perf_counter()
            call()
            times.append(time.perf_counter() - t)
        print(f"{label + ':':30s}{statistics.median(times) * 1000:7.2f} ms (median of 200; target ≤ 50 ms)")

    t = time.perf_counter()
    tilts = search_tilts(site.latitude)
    per_kwp = {tilt: array_year(weather.data, site.latitude, site.longitude, site.elevation_m, tilt).dc_w_per_kwp
               for tilt in tilts}
    t_pv = time.perf_counter() - t
    costs = Costs({k: v.unit_cost for k, v in catalog.items().items()}, mount_usd_per_module=169.0)
    result = least_cost(per_kwp, load, temp, power.modules()["cs6u-330p"], list(power.batteries().values()),
                        list(power.controllers().values()), costs, max_modules=args.max_modules,
                        preferred_tilt=abs(site.latitude))
    total = time.perf_counter() - t
    best = result.best
    print(f"search:                       {total:7.2f} s ({t_pv:.2f} s PV years for {len(tilts)} tilts, "
          f"{result.simulations} simulated years; target ≤ 10 s)")
    if best:
        print(f"least cost at {site.name}: {best.modules} modules ({best.kwp:.2f} kWp) at {best.tilt:g}°, "
              f"{best.capacity_wh / 1000:.2f} kWh at {best.string_voltage} V, ${best.lifetime_usd:,.0f} over "
              f"{costs.project_years:g} years, {best.unmet_hours} h unmet")


if __name__ == "__main__":
    main()
