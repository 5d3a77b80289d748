"""Weather years: a user's EPW file gives the same energy as the same hours read from the TMY3 file, and
clear sky is labelled optimistic."""

import numpy as np
import pytest

from osehw.core.site import load_site
from osehw.core.weather import WeatherError, weather_year
from osehw.physics.solar import array_year

SITE = "name: {name}\nlatitude: 36.1\nlongitude: -79.95\nelevation_m: 273\ntimezone: Etc/GMT+5\n"


def write_epw(path, data):
    """An EPW file (EnergyPlus Auxiliary Programs, "Weather Converter": 8 header lines, 35 fields a row)
    holding the given hours, written field by field."""
    lines = ["LOCATION,Greensboro,NC,USA,test,723170,36.1,-79.95,-5.0,273.0"]
    lines += ["DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
              "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,written by a test", "COMMENTS 2,",
              "DATA PERIODS,1,1,Data,Monday,1/1,12/31"]
    for i, (_, row) in enumerate(data.iterrows()):
        month, day, hour = (np.datetime64("1990-01-01T00") + np.timedelta64(i, "h")).astype(object).timetuple()[1:4]
        fields = [1990, month, day, hour + 1, 60, "?", f"{row.temp_air:.1f}", 0, 50, 101325, 0, 0, 0,
                  f"{row.ghi:.0f}", f"{row.dni:.0f}", f"{row.dhi:.0f}", 0, 0, 0, 0, 180, f"{row.wind_speed:.1f}",
                  0, 0, 9999, 99999, 9, 999999999, 0, 0.1, 0, 88, 0.2, 0, 0]
        lines.append(",".join(str(f) for f in fields))
    path.write_text("\n".join(lines) + "\n")


def test_a_user_epw_file_gives_the_same_yield_as_the_same_hours_from_tmy3(tmp_path):
    tmy = load_site("greensboro-nc")
    data = weather_year(tmy).data
    write_epw(tmp_path / "gso.epw", data)
    (tmp_path / "gso.yaml").write_text(SITE.format(name="GSO from EPW") + "weather: {source: epw, file: gso.epw}\n")
    epw = load_site(str(tmp_path / "gso.yaml"))
    read = weather_year(epw)
    assert "EPW gso.epw (user file)" in read.label
    assert np.allclose(read.data.to_numpy(), data.to_numpy(), atol=0.051)  # one decimal written
    a = array_year(data, tmy.latitude, tmy.longitude, tmy.elevation_m, 36.0).dc_w_per_kwp.sum()
    b = array_year(read.data, epw.latitude, epw.longitude, epw.elevation_m, 36.0).dc_w_per_kwp.sum()
    assert b == pytest.approx(a, rel=1e-3)


def test_a_short_weather_file_is_refused(tmp_path):
    data = weather_year(load_site("greensboro-nc")).data.iloc[:100]
    write_epw(tmp_path / "short.epw", data)
    (tmp_path / "s.yaml").write_text(SITE.format(name="short") + "weather: {source: epw, file: short.epw}\n")
    with pytest.raises(WeatherError, match="100 hourly rows; a weather year needs 8760"):
        weather_year(load_site(str(tmp_path / "s.yaml")))


def test_clear_sky_is_brighter_than_the_tmy_year_and_says_so(tmp_path):
    (tmp_path / "c.yaml").write_text(SITE.format(name="GSO clear") + "weather: {source: clearsky}\n")
    clear = weather_year(load_site(str(tmp_path / "c.yaml")))
    assert "optimistic" in clear.label and len(clear.data) == 8760
    assert clear.data["ghi"].sum() > 1.2 * weather_year(load_site("greensboro-nc")).data["ghi"].sum()
