"""Where a design stands and which weather it sees: ``sites/*.yaml``, kept apart from designs
(as pvlib keeps ``Location`` apart from ``PVSystem``), so one design can be checked at many sites.

A site file::

    name: Greensboro NC
    latitude: 36.1            # degrees north
    longitude: -79.95         # degrees east
    elevation_m: 273
    timezone: Etc/GMT+5       # an IANA zone name
    weather:
      source: pvlib-tmy3      # pvlib-tmy3 | pvlib-tmy2 (files that ship inside pvlib),
      file: 723170TYA.CSV     # tmy3 | epw (a file of yours, relative to the site file),
                              # clearsky (anywhere, optimistic: no clouds)

A design file names its site with a top-level ``site:`` (a name under
``sites/`` or a path). Every result that used weather says which.
"""

from __future__ import annotations

import importlib.util
import zoneinfo
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from osehw.core.params import ParamError, Problem, display_path, read_yaml_mapping
from osehw.core.paths import sites_dir
from osehw.core.registry import unknown_message

# The weather files that ship inside pvlib (pvlib/data), by kind.
PVLIB_WEATHER = {"pvlib-tmy3": ("723170TYA.CSV", "703165TY.csv"), "pvlib-tmy2": ("12839.tm2",)}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Weather(_Strict):
    source: Literal["pvlib-tmy3", "pvlib-tmy2", "tmy3", "epw", "clearsky"]
    file: str | None = Field(None, description="the weather file (pvlib's name, or a path from the site file)")
    linke_turbidity: float | None = Field(None, ge=1.0, le=8.0, description="clearsky only; None = pvlib's monthly map")


class Site(_Strict):
    name: str = Field(min_length=1, max_length=200)
    latitude: float = Field(ge=-90, le=90, description="[degrees north]")
    longitude: float = Field(ge=-180, le=180, description="[degrees east]")
    elevation_m: float = Field(ge=-500, le=9000, description="[m above sea level]")
    timezone: str = Field(description="IANA time zone name, e.g. Etc/GMT+5 or America/New_York")
    weather: Weather
    path: str = Field("", description="the file it was read from (set by load_site)")

    def weather_path(self) -> Path | None:
        """The weather file on disk (None for clear-sky)."""
        w = self.weather
        if w.source.startswith("pvlib-"):  # found without importing pvlib (slow), for the build fingerprint
            spec = importlib.util.find_spec("pvlib")
            assert spec is not None and spec.origin is not None, "pvlib is a dependency of osehw"
            return Path(spec.origin).parent / "data" / str(w.file)
        if w.source == "clearsky":
            return None
        return (Path(self.path).parent / str(w.file)).resolve()

    def weather_label(self) -> str:
        """What every result that used the weather states."""
        w = self.weather
        if w.source == "clearsky":
            turbidity = f"Linke turbidity {w.linke_turbidity:g}" if w.linke_turbidity else "pvlib's monthly Linke map"
            return f"clear sky (Ineichen, {turbidity}) at {self.name}: optimistic, no clouds"
        kind = {"pvlib-tmy3": "TMY3", "pvlib-tmy2": "TMY2", "tmy3": "TMY3", "epw": "EPW"}[w.source]
        where = "shipped with pvlib" if w.source.startswith("pvlib-") else "user file"
        return f"{kind} {w.file} ({where}) for {self.name}"


def resolve_site_file(name_or_path: str, relative_to: Path | None = None) -> Path:
    """A site name under ``sites/`` or a path (relative to the design file that names it)."""
    if name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path:
        path = Path(name_or_path)
        return path if path.is_absolute() or relative_to is None else relative_to.parent / path
    return sites_dir() / f"{name_or_path}.yaml"


def load_site(name_or_path: str, relative_to: Path | None = None) -> Site:
    """The validated site; ParamError naming the file, the field, the value and the rule otherwise."""
    path = resolve_site_file(name_or_path, relative_to)
    label = display_path(path)
    if not path.is_file():
        known = sorted(p.stem for p in sites_dir().glob("*.yaml"))
        raise ParamError([Problem(display_path(relative_to) if relative_to else "(command line)", "site",
                                  name_or_path, unknown_message("site", name_or_path, known)
                                  if "/" not in name_or_path else "file not found")])
    data = read_yaml_mapping(path, "of site fields")
    try:
        site = Site.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        raise ParamError([Problem(label, ".".join(str(p) for p in err["loc"]), err.get("input"), err["msg"].lower())
                          for err in exc.errors()]) from None
    problems = site_rules(site)
    if problems:
        raise ParamError([Problem(label, f, v, r) for f, v, r in problems])
    return site


def site_rules(site: Site) -> list[tuple[str, object, str]]:
    broken: list[tuple[str, object, str]] = []
    try:
        zoneinfo.ZoneInfo(site.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        broken.append(("timezone", site.timezone, "not an IANA time zone name (e.g. Etc/GMT+5, America/Denver)"))
    w = site.weather
    if w.source == "clearsky":
        if w.file is not None:
            broken.append(("weather.file", w.file, "a clear-sky site reads no file"))
    elif w.file is None:
        broken.append(("weather.file", None, f"required for weather source '{w.source}'"))
    elif w.source in PVLIB_WEATHER and w.file not in PVLIB_WEATHER[w.source]:
        broken.append(("weather.file", w.file, unknown_message(f"{w.source} file", w.file, PVLIB_WEATHER[w.source])))
    elif w.linke_turbidity is not None:
        broken.append(("weather.linke_turbidity", w.linke_turbidity, "only a clear-sky site takes a turbidity"))
    elif not w.source.startswith("pvlib-") and not (site.weather_path() or Path()).is_file():
        broken.append(("weather.file", w.file, f"file not found (looked for {site.weather_path()})"))
    return broken
