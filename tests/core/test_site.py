"""Sites: the shipped ones agree with their weather files' own headers; bad sites are refused clearly."""

import pytest

from osehw.core.params import ParamError
from osehw.core.site import load_site

GOOD = "name: Here\nlatitude: 36.1\nlongitude: -79.95\nelevation_m: 273\ntimezone: Etc/GMT+5\n"


@pytest.mark.parametrize("name, reader", [("greensboro-nc", "read_tmy3"), ("sand-point-ak", "read_tmy3"),
                                          ("miami-fl", "read_tmy2")])
def test_shipped_sites_match_their_weather_file_headers(name, reader):
    import pvlib

    site = load_site(name)
    kwargs = {"map_variables": True} if reader == "read_tmy3" else {}
    _, meta = getattr(pvlib.iotools, reader)(site.weather_path(), **kwargs)
    assert site.latitude == pytest.approx(meta["latitude"], abs=0.01)
    assert site.longitude == pytest.approx(meta["longitude"], abs=0.01)
    assert site.elevation_m == pytest.approx(meta["altitude"], abs=1)
    assert site.timezone == f"Etc/GMT{-int(meta['TZ']):+d}"  # POSIX Etc zones have the sign reversed
    assert "shipped with pvlib" in site.weather_label()


def test_clear_sky_is_labelled_optimistic(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(GOOD + "weather: {source: clearsky, linke_turbidity: 3}\n")
    site = load_site(str(path))
    assert site.weather_path() is None and "optimistic" in site.weather_label()


@pytest.mark.parametrize("body, field, rule", [
    (GOOD.replace("36.1", "136.1") + "weather: {source: clearsky}\n", "latitude", "less than or equal to 90"),
    (GOOD.replace("Etc/GMT+5", "Mars/Olympus") + "weather: {source: clearsky}\n", "timezone", "IANA"),
    (GOOD + "weather: {source: pvlib-tmy3, file: nowhere.csv}\n", "weather.file", "is not a known pvlib-tmy3 file"),
    (GOOD + "weather: {source: epw, file: missing.epw}\n", "weather.file", "file not found"),
    (GOOD + "weather: {source: clearsky, file: x.csv}\n", "weather.file", "reads no file"),
    (GOOD + "weather: {source: satellite}\n", "weather.source", "input should be"),
    (GOOD + "weather: {source: clearsky}\nlatitud: 3\n", "latitud", "extra inputs"),
])
def test_a_bad_site_names_file_field_and_rule(tmp_path, body, field, rule):
    path = tmp_path / "s.yaml"
    path.write_text(body)
    with pytest.raises(ParamError) as exc:
        load_site(str(path))
    text = str(exc.value)
    assert str(path.name) in text and f"{field} = " in text and rule in text, text


def test_an_unknown_site_name_suggests_the_nearest():
    with pytest.raises(ParamError, match="did you mean 'miami-fl'"):
        load_site("miami")


def test_a_design_file_names_its_site_and_the_manifest_states_the_weather(tmp_path, enclosure):
    from dataclasses import replace

    from osehw.pipeline import BuildPipeline, load

    path = tmp_path / "d.yaml"
    path.write_text("design: node-enclosure\nsite: sand-point-ak\n")
    loaded = load(str(path))
    assert loaded.site is not None and loaded.site.name == "Sand Point AK"
    pipe = BuildPipeline()
    manifest = pipe.manifest(replace(pipe.start(loaded), design=enclosure), {})
    assert manifest["site"]["latitude"] == 55.317
    assert manifest["site"]["weather_label"] == "TMY3 703165TY.csv (shipped with pvlib) for Sand Point AK"


def test_a_design_file_naming_a_missing_site_is_refused(tmp_path):
    from osehw.pipeline import load

    path = tmp_path / "d.yaml"
    path.write_text("design: node-enclosure\nsite: atlantis\n")
    with pytest.raises(ParamError, match="site = 'atlantis': 'atlantis' is not a known site"):
        load(str(path))
