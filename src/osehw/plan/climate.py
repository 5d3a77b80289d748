"""Climate classes for the node's off-grid power system, and the weather year each class is sized in.

An off-grid PV system is sized on its worst month (Sandia SAND87-7023, *Stand-Alone Photovoltaic Systems: A
Handbook of Recommended Design Practices*, §"Array sizing": the design month is the one with the lowest ratio
of insolation to load), so a state's class follows its worst month's mean daily global horizontal irradiance,
not its annual mean. ``geo/solar-worst-month-by-state.csv`` gives one representative station per state and its
worst month (December everywhere in the lower 48); ``geo/solar-climate-classes.csv`` gives each class its lower
bound on that figure and its representative station, with the station's monthly means (``geo/SOURCES.md`` says
where the figures come from and how sure they are).

Each class's weather year is an hourly year the pipeline's energy analysis reads like any site's:

- a TMY year that ships with pvlib where one stands for the class (Miami's TMY2, Greensboro's TMY3);
- otherwise a year *synthesised* from the station's monthly table: the station's own clear-sky hours (Ineichen
  with pvlib's Linke turbidity map, Remund et al. 2003) times Greensboro's TMY3 daily clear-sky index (so the
  year keeps a real sequence of cloudy and clear days, which is what sizes a battery), each month scaled so its
  mean daily GHI equals the table's exactly; beam and diffuse split from GHI by the Erbs correlation (Erbs,
  Klein & Duffie 1982, *Solar Energy* 28(4):293); the air temperature Greensboro's hour by hour shifted by the
  difference of the monthly means, the wind Greensboro's. It is written as a TMY3-format file (NREL/TP-581-43156
  column names) so the ordinary weather reader takes it.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from osehw.core.paths import geo_dir, sites_dir
from osehw.core.site import Site, Weather

CLASSES_FILE = "solar-climate-classes.csv"
STATES_FILE = "solar-worst-month-by-state.csv"
BASE_SITE = "greensboro-nc"  # the TMY3 year whose day-to-day cloudiness the synthesised years borrow
DAYS = np.array([calendar.monthrange(1990, m)[1] for m in range(1, 13)])
MONTHS = [calendar.month_abbr[m].lower() for m in range(1, 13)]


@dataclass(frozen=True)
class ClimateClass:
    name: str
    worst_month_at_least: float  # [kWh/m²/day] the class's lower bound on a state's worst-month mean GHI
    station: str
    state: str
    latitude: float
    longitude: float
    elevation_m: float
    timezone: str
    record_low_c: float
    weather: str  # "pvlib-tmy3:FILE", "pvlib-tmy2:FILE" or "synthesised"
    ghi: tuple[float, ...] = ()  # [kWh/m²/day] monthly means, Jan..Dec (synthesised classes)
    temp_c: tuple[float, ...] = ()  # [°C] monthly mean air temperature, Jan..Dec (synthesised classes)


@lru_cache(maxsize=1)
def climate_classes() -> dict[str, ClimateClass]:
    """The classes by name, brightest first (highest lower bound)."""
    out = []
    with (geo_dir() / CLASSES_FILE).open(newline="") as fh:
        for row in csv.DictReader(fh):
            synth = row["weather"] == "synthesised"
            out.append(ClimateClass(
                row["climate"], float(row["worst_month_at_least"]), row["station"], row["state"],
                float(row["latitude"]), float(row["longitude"]), float(row["elevation_m"]), row["timezone"],
                float(row["record_low_c"]), row["weather"],
                tuple(float(row[f"ghi_{m}"]) for m in MONTHS) if synth else (),
                tuple(float(row[f"temp_{m}"]) for m in MONTHS) if synth else ()))
    return {c.name: c for c in sorted(out, key=lambda c: -c.worst_month_at_least)}


@lru_cache(maxsize=1)
def worst_month_by_state() -> dict[str, tuple[str, str, float]]:
    """State code → (station, worst month, its mean daily GHI [kWh/m²/day])."""
    with (geo_dir() / STATES_FILE).open(newline="") as fh:
        return {r["state"]: (r["station"], r["worst_month"], float(r["ghi_worst_kwh_m2_day"]))
                for r in csv.DictReader(fh)}


def climate_of_ghi(worst_month_ghi: float) -> str:
    """The brightest class whose lower bound the worst month reaches."""
    return next(c.name for c in climate_classes().values() if worst_month_ghi >= c.worst_month_at_least)


def climate_of(state: str) -> str:
    return climate_of_ghi(worst_month_by_state()[state][2])


def _hour_middles(tz: str) -> pd.DatetimeIndex:
    from osehw.core.weather import HOURS, YEAR

    return pd.date_range(pd.Timestamp(f"{YEAR}-01-01 00:30", tz=tz), periods=HOURS, freq="h")


def _clear_sky(latitude: float, longitude: float, elevation_m: float, tz: str) -> tuple[pd.DataFrame, pd.Series]:
    """Ineichen clear-sky GHI (pvlib's monthly Linke turbidity map) and the solar zenith at each hour middle."""
    import pvlib

    times = _hour_middles(tz)
    place = pvlib.location.Location(latitude, longitude, tz, elevation_m)
    return place.get_clearsky(times, model="ineichen"), place.get_solarposition(times).apparent_zenith


def synthesise(c: ClimateClass) -> pd.DataFrame:
    """The class station's hourly year (see module notes): columns of osehw.core.weather.COLUMNS, 8,760 rows on
    hour middles in the station's time zone. Each month's mean daily GHI equals ``c.ghi`` to rounding."""
    import pvlib

    from osehw.core.site import load_site
    from osehw.core.weather import weather_year

    base_site = load_site(BASE_SITE)
    base = weather_year(base_site).data
    base_sky, _ = _clear_sky(base_site.latitude, base_site.longitude, base_site.elevation_m, base_site.timezone)
    day = np.repeat(np.arange(365), 24)
    index = np.bincount(day, base.ghi.to_numpy()) / np.bincount(day, base_sky.ghi.to_numpy())  # daily clear-sky index
    sky, zenith = _clear_sky(c.latitude, c.longitude, c.elevation_m, c.timezone)
    ghi = sky.ghi.to_numpy() * index[day]
    month = np.repeat(np.arange(12), DAYS * 24)
    made = np.bincount(month, ghi) / 1000.0 / DAYS  # [kWh/m²/day] before scaling
    ghi = ghi * (np.array(c.ghi) / made)[month]
    split = pvlib.irradiance.erbs(ghi, zenith.to_numpy(), _hour_middles(c.timezone).day_of_year)
    base_temp = np.bincount(month, base.temp_air.to_numpy()) / (DAYS * 24)
    temp = base.temp_air.to_numpy() + (np.array(c.temp_c) - base_temp)[month]
    return pd.DataFrame({"ghi": ghi, "dni": np.asarray(split["dni"]), "dhi": np.asarray(split["dhi"]),
                         "temp_air": temp, "wind_speed": base.wind_speed.to_numpy()}, index=_hour_middles(c.timezone))


def write_tmy3(frame: pd.DataFrame, c: ClimateClass, path: Path) -> None:
    """``frame`` as a TMY3 CSV (NREL/TP-581-43156: a station line — USAF, name, state, UTC offset, latitude,
    longitude, elevation — then one row per hour labelled by the hour's
    end, local standard time), only the columns osehw reads; values rounded to 0.1 (W/m², °C, m/s)."""
    offset = -int(c.timezone.split("GMT")[1]) if "GMT" in c.timezone else 0
    lines = [f"000000,{c.station} (synthesised),{c.state},{offset},{c.latitude},{c.longitude},{c.elevation_m:g}",
             "Date (MM/DD/YYYY),Time (HH:MM),GHI (W/m^2),DNI (W/m^2),DHI (W/m^2),Dry-bulb (C),Wspd (m/s)"]
    for t, row in zip(frame.index, frame.itertuples(index=False)):
        end = t + pd.Timedelta(minutes=30)
        date, hour = (end - pd.Timedelta(hours=1), 24) if end.hour == 0 else (end, end.hour)
        lines.append(f"{date:%m/%d/%Y},{hour:02d}:00,{row.ghi:.1f},{row.dni:.1f},{row.dhi:.1f},{row.temp_air:.1f},"
                     f"{row.wind_speed:.1f}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def class_site(c: ClimateClass, folder: Path) -> Site:
    """The site the class's node is built at: the station, with its TMY year or its synthesised year (written
    into ``folder`` under a name that is the hash of its content's inputs)."""
    if c.weather != "synthesised":
        source, file = c.weather.split(":")
        return Site(name=c.station, latitude=c.latitude, longitude=c.longitude, elevation_m=c.elevation_m,
                    timezone=c.timezone, weather=Weather(source=source, file=file),
                    path=str(sites_dir() / "plan-class.yaml"))
    digest = hashlib.sha256(repr(c).encode()).hexdigest()[:16]
    path = folder / f"climate-{c.name}-{digest}.csv"
    if not path.is_file():
        write_tmy3(synthesise(c), c, path)
    return Site(name=f"{c.station} (synthesised from its monthly GHI table and Greensboro's TMY3 days)",
                latitude=c.latitude, longitude=c.longitude, elevation_m=c.elevation_m, timezone=c.timezone,
                weather=Weather(source="tmy3", file=path.name), path=str(path))
