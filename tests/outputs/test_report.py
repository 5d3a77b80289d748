"""report.html: what a person reads — every link resolves, and the numbers are the build's own."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from osehw.pipeline import BuildPipeline, load


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.targets += [v for k, v in attrs if k in ("href", "src")]

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    pipe = BuildPipeline(machines=["grbl-hobby-800"])
    result = pipe.run(pipe.start(load("node-enclosure")), "write", out_root=out)
    return result, out / "node-enclosure"


def test_every_link_and_picture_in_the_report_is_a_file_of_the_build(built):
    result, folder = built
    assert "report.html" in result.files
    page = Links()
    page.feed((folder / "report.html").read_text(encoding="utf-8"))
    assert len(page.targets) > 20
    for target in page.targets:
        assert (folder / target).is_file(), target
    programs = {p.filename for s in result.cam.sheets for p in s.programs}
    assert programs <= {Path(t).name for t in page.targets}
    assert {f"parts/{p.name}.svg" for p in result.design.sheet_parts} <= set(page.targets)


def test_the_report_states_the_builds_own_numbers(built):
    result, folder = built
    page = Links()
    page.feed((folder / "report.html").read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert "every check passed" in text
    assert f"${result.bom_total_usd:,.2f}" in text  # $614.88
    for name in ("wall_thickness", "gasket_cord_diameter", "ambient_c"):
        assert name in text
    inside = result.analyses["thermal"].summary["inside_c"]
    assert f"{inside:,.4g}" in text
    for finding in result.findings:
        assert finding.code in text


def test_the_same_build_writes_the_same_report(built, tmp_path):
    result, folder = built
    again = BuildPipeline(machines=["grbl-hobby-800"])
    second = again.run(again.start(load("node-enclosure")), "write", out_root=tmp_path)
    assert (tmp_path / "node-enclosure" / "report.html").read_bytes() == (folder / "report.html").read_bytes()
    assert second.files["report.html"] == result.files["report.html"]


def test_cut_list_rows_show_their_copy_number_not_a_dict_method():
    # a cut-plan row is a dict with a "copy" key: `r.copy` in Jinja is the dict's copy method (its repr has a
    # memory address, so the report changed from build to build); the template must index the key
    import re

    import jinja2

    template = (Path(__file__).resolve().parents[2] / "src/osehw/outputs/templates/report.html.j2").read_text()
    loop = re.search(r"{% for r in cut_list %}.*?{% endfor %}", template, re.S).group(0)
    row = {"profile": "tube", "bar": 1, "start": 5.0, "part": "leg-s1", "copy": 2, "length": 3044.6}
    html = jinja2.Template(loop).render(cut_list=[row])
    assert "leg-s1 #2<" in html and "built-in method" not in html
