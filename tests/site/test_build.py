"""The download page as files: zips hold what the page lists, the sums are right, every link is a file,
nothing reaches for the network, and the same builds give the same bytes."""

import hashlib
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from osehw.site.build import SUMS, build_site
from osehw.site.bundles import machine_files
from osehw.site.collect import read_build
from tests.site.conftest import MACHINE, VARIANT


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [v for k, v in attrs if k in ("href", "src") and v is not None]

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_each_zip_holds_exactly_the_machines_files_as_built(site_root, built_root):
    design = read_build(built_root, VARIANT)
    zips = sorted(site_root.glob(f"{VARIANT}/*.zip"))
    assert [z.name for z in zips] == [f"{VARIANT}-{MACHINE}.zip"]
    with zipfile.ZipFile(zips[0]) as zf:
        names = zf.namelist()
        expected = machine_files(design.files, MACHINE)
        assert sorted(Path(n).name for n in names) == sorted(Path(f).name for f in expected)
        for rel in expected:
            assert zf.read(f"{VARIANT}-{MACHINE}/{Path(rel).name if rel.startswith('sheets/') else rel}") == \
                (built_root / VARIANT / rel).read_bytes()
    programs = [s for s in design.sheets if s["machine"] == MACHINE][0]["programs"]
    assert {p["file"] for p in programs} <= {Path(n).name for n in names}  # every G-code program is there
    assert {"bom.csv"} <= {Path(n).name for n in names}
    assert any(n.endswith(".dxf") for n in names) and any(n.endswith(".html") for n in names)
    # the page lists the same entries it packed
    text = " ".join(parse(site_root / VARIANT / "index.html").text)
    assert all(n in text for n in names)


def test_the_sums_file_lists_every_file_with_its_sha256_and_the_pages_show_them(site_root):
    lines = (site_root / SUMS).read_text(encoding="ascii").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    on_disk = {p.relative_to(site_root).as_posix() for p in site_root.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {SUMS, "manifest.json"}
    assert all(sha(site_root / rel) == digest for rel, digest in listed.items())
    assert [line.split("  ", 1)[1] for line in lines] == sorted(listed)  # sorted, sha256sum -c format
    for page, prefix in ((site_root / "index.html", ""), (site_root / VARIANT / "index.html", f"{VARIANT}/")):
        text = " ".join(parse(page).text)
        for link in parse(page).links:
            if link.endswith(".zip"):
                assert listed[prefix + link] in text, link
    # the ownership mark, and the manifest's own table agrees
    manifest = json.loads((site_root / "manifest.json").read_text())
    assert manifest["written_by"] == "osehw"
    assert {k: v for k, v in manifest["files"].items() if k != SUMS} == listed


def test_every_link_of_every_page_is_a_file_of_the_site_and_nothing_needs_the_network(site_root):
    pages = sorted(site_root.rglob("*.html"))
    assert {p.relative_to(site_root).as_posix() for p in pages} >= {
        "index.html", f"{VARIANT}/index.html", f"{VARIANT}/files/report.html"}
    checked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"(?i)(https?:)?//[a-z0-9]", re.sub(r"xmlns(:\w+)?=\"[^\"]*\"", "", html)), page
        for link in parse(page).links:
            target = link.split("#", 1)[0]
            if target:
                assert not re.match(r"^[a-z]+:|^/", target), (page, link)  # relative only
                assert (page.parent / target).resolve().is_file(), (page, link)
                assert site_root.resolve() in (page.parent / target).resolve().parents, (page, link)
                checked += 1
    assert checked > 30


def test_the_design_page_states_the_builds_own_numbers(site_root, built_root):
    manifest = json.loads((built_root / VARIANT / "manifest.json").read_text())
    text = " ".join(parse(site_root / VARIANT / "index.html").text)
    assert f"${manifest['bom_total_usd']:,.2f}" in text  # the bill total, to the cent
    sheet = manifest["cam"]["sheets"][0]
    assert f"{sheet['estimated_time_s'] / 60:.1f} min" in text
    assert f"{manifest['summary']['plates_kg']:,.4g}" in text  # four significant figures, as the page shows them
    assert "no economics analysis" in text
    index = parse(site_root / "index.html")
    assert f"{VARIANT}/model.png" in index.links and f"{VARIANT}/index.html" in index.links
    assert (site_root / VARIANT / "model.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_same_builds_give_the_same_site_byte_for_byte(site_root, built_root, tmp_path):
    other = tmp_path / "outputs"
    shutil.copytree(built_root / VARIANT, other / VARIANT)
    build_site(other, [read_build(other, VARIANT)])
    assert tree(other / "site") == tree(site_root)


def test_an_economics_analysis_is_shown_with_its_figures_and_tables(built_root, tmp_path):
    root = tmp_path / "outputs"
    folder = root / VARIANT
    shutil.copytree(built_root / VARIANT, folder)
    (folder / "figures").mkdir(exist_ok=True)
    (folder / "figures/economics-tornado.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / "tables").mkdir(exist_ok=True)
    (folder / "tables/economics-sensitivity.csv").write_text("input,low,high\n")
    doc = json.loads((folder / "manifest.json").read_text())
    doc["analyses"]["economics"] = {"capital_usd": 61234.7, "cost_per_subscriber_year_usd": 31.25}
    doc["files"] = {p.relative_to(folder).as_posix(): sha(p) for p in folder.rglob("*")
                    if p.is_file() and p.name != "manifest.json"}
    (folder / "manifest.json").write_text(json.dumps(doc))
    build_site(root, [read_build(root, VARIANT)])
    page = parse(root / "site" / VARIANT / "index.html")
    text = " ".join(page.text)
    assert "capital_usd" in text and "61,235" in text and "31.25" in text
    assert "files/figures/economics-tornado.svg" in page.links
    assert "files/tables/economics-sensitivity.csv" in page.links
    index = " ".join(parse(root / "site" / "index.html").text)
    assert "61,235" in index  # the index shows it too


@pytest.mark.parametrize("force", [False, True])
def test_a_site_folder_osehw_did_not_make_is_refused_unless_forced(built_root, tmp_path, force):
    from osehw.core.staging import OutputPathError

    root = tmp_path / "outputs"
    shutil.copytree(built_root / VARIANT, root / VARIANT)
    (root / "site").mkdir()
    (root / "site" / "mine.txt").write_text("mine")
    if force:
        build_site(root, [read_build(root, VARIANT)], force=True)
        assert not (root / "site" / "mine.txt").exists() and (root / "site" / "index.html").is_file()
    else:
        with pytest.raises(OutputPathError, match="osehw did not make it"):
            build_site(root, [read_build(root, VARIANT)])
        assert (root / "site" / "mine.txt").read_text() == "mine"


def test_the_site_command_writes_the_same_site_and_says_where(site_root, built_root, tmp_path):
    import os
    import subprocess
    import sys

    root = tmp_path / "outputs"
    shutil.copytree(built_root / VARIANT, root / VARIANT)
    project = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-m", "osehw", "site", VARIANT, "--out", str(root)], cwd=project,
                       capture_output=True, text=True, env=dict(os.environ, COLUMNS="300"), timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"1 designs, 1 zips, {len(tree(site_root)) - 2} files in {root / 'site'}" in r.stdout
    assert tree(root / "site") == tree(site_root)


def test_the_sites_copy_of_a_build_shares_the_builds_disk_space(site_root, built_root):
    """On one file system each build file is a hard link, not a second copy; its bytes are the build's."""
    build = built_root / VARIANT
    for rel in ("bom.csv", "report.html", "model.step"):
        mine, theirs = site_root / VARIANT / "files" / rel, build / rel
        assert mine.read_bytes() == theirs.read_bytes()
        assert mine.stat().st_ino == theirs.stat().st_ino and theirs.stat().st_nlink >= 2
