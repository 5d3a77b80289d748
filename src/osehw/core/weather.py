"""A site's hourly weather year as one table, whatever the file: the pvlib-shipped TMY3/TMY2 years, a
user's TMY3 or EPW file, or clear sky (Ineichen with Linke turbidity) anywhere.

Every reader's hours become the same 8,760 rows: ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C],
``wind_speed`` [m/s], indexed by the *middle* of each hour (year 1990, not a leap year, in the site's
time zone), so that the sun's position is taken where the hour's irradiance was measured, and the
last hour of a TMY year (Dec 31 24:00, which pvlib's ``coerce_year`` moves into the next January) stays
in December. TMY3 and EPW label an hour by its end, TMY2 (as pvlib reads it) by its start.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from osehw.core.errors import OsehwError
from osehw.core.site import Site

YEAR = 1990  # a non-leap year: every weather year is laid on it
HOURS = 8760
COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")


class WeatherError(OsehwError, ValueError):
    """A weather file osehw cannot use (unreadable, wrong length, missing values): exit 2, one line."""


@dataclass(frozen=True)
class WeatherYear:
    """One year of hourly weather and the sentence every result that used it states."""

    data: pd.DataFrame  # COLUMNS, 8760 rows, index: middle of each hour, tz-aware
    label: str


def _hour_middles(start_of_first_hour: pd.Timestamp) -> pd.DatetimeIndex:
    return pd.date_range(start_of_first_hour + pd.Timedelta(minutes=30), periods=HOURS, freq="h")


def _table(frame: pd.DataFrame, tz: str, where: str) -> pd.DataFrame:
    """The 8,760 hours of ``frame`` (columns already named as COLUMNS) on osehw's hour-middle index."""
    if len(frame) == HOURS + 24:  # a leap-year EPW: drop Feb 29 so every year has the same hours
        frame = frame[~((frame.index.month == 2) & (frame.index.day == 29))]
    if len(frame) != HOURS:
        raise WeatherError(f"{where}: {len(frame)} hourly rows; a weather year needs {HOURS}")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise WeatherError(f"{where}: no column {', '.join(missing)}")
    out = frame.loc[:, list(COLUMNS)].astype(float).copy()
    out.index = _hour_middles(pd.Timestamp(f"{YEAR}-01-01 00:00", tz=tz))
    return out


def _tmy3(path: str, tz: str) -> pd.DataFrame:
    import pvlib

    frame, _ = pvlib.iotools.read_tmy3(path, map_variables=True)
    return _table(frame, tz, path)


def _tmy2(path: str, tz: str) -> pd.DataFrame:
    import pvlib

    frame, _ = pvlib.iotools.read_tmy2(path)
    # pvlib 0.16 reads TMY2 temperatures and wind speeds as the file stores them: tenths of °C and m/s
    # (NREL TMY2 user's manual, NREL/TP-463-7668, fields 68-71 and 96-99)
    frame = frame.rename(columns={"GHI": "ghi", "DNI": "dni", "DHI": "dhi"})
    frame["temp_air"] = frame["DryBulb"] / 10.0
    frame["wind_speed"] = frame["Wspd"] / 10.0
    return _table(frame, tz, path)


def _epw(path: str, tz: str) -> pd.DataFrame:
    import pvlib

    frame, _ = pvlib.iotools.read_epw(path)
    return _table(frame, tz, path)


def _clearsky(site: Site) -> pd.DataFrame:
    import pvlib

    times = _hour_middles(pd.Timestamp(f"{YEAR}-01-01 00:00", tz=site.timezone))
    place = pvlib.location.Location(site.latitude, site.longitude, site.timezone, site.elevation_m)
    turbidity = site.weather.linke_turbidity
    if turbidity is None:  # pvlib's monthly Linke map (Remund et al. 2003, LinkeTurbidities.h5)
        turbidity = pvlib.clearsky.lookup_linke_turbidity(times, site.latitude, site.longitude)
    sky = place.get_clearsky(times, model="ineichen", linke_turbidity=turbidity)
    # No temperature or wind without a file: 20 °C and 1 m/s (the PVWatts/SAPM reference wind), stated.
    return sky.assign(temp_air=20.0, wind_speed=1.0)


READERS = {"pvlib-tmy3": _tmy3, "tmy3": _tmy3, "pvlib-tmy2": _tmy2, "epw": _epw}


@lru_cache(maxsize=8)
def weather_year(site: Site) -> WeatherYear:
    """The site's weather year (cached per site: the sizing search and the analysis read it once)."""
    source = site.weather.source
    if source == "clearsky":
        data = _clearsky(site)
        label = site.weather_label() + "; 20 °C air, 1 m/s wind"
    else:
        path = str(site.weather_path())
        try:
            data = READERS[source](path, site.timezone)
        except WeatherError:
            raise
        except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError) as exc:
            raise WeatherError(f"{path}: not a readable {source} weather file ({type(exc).__name__}: {exc})") from None
        label = site.weather_label()
    if not np.isfinite(data.to_numpy()).all():
        raise WeatherError(f"{site.weather_path()}: weather holds missing values")
    return WeatherYear(data, label)
