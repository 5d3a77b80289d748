"""The download page in a real browser: Debian's headless Chromium, driven by selenium through chromedriver.

Every page of the site (the index, each design's page, each report and setup sheet) is opened from
``file://``: none logs a console error, every picture loads, every link and picture names a file of the
site, and every zip the index offers downloads with the SHA-256 listed beside it. A screenshot of the
index is kept (pytest's temporary folder, and ``$OSEHW_ARTIFACTS`` when set). Skipped only where
Chromium or its driver is not installed; in CI (``CI`` set) their absence fails instead.
"""

import hashlib
import os
import shutil
import struct
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.site.conftest import VARIANT

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
DRIVER = shutil.which("chromedriver")
WINDOW = (1200, 900)
LINKS_JS = """return Array.from(document.querySelectorAll('[href],[src]')).map(e => {
    const raw = e.getAttribute('href') ?? e.getAttribute('src');
    return new URL(raw, document.baseURI).href; });"""
BROKEN_IMAGES_JS = """return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))
    .map(i => i.getAttribute('src'));"""
ZIPS_JS = """return Array.from(document.querySelectorAll('a[download]')).map(a => [a.getAttribute('href'),
    a.closest('li, tr').querySelector('code.sha256').textContent.trim()]);"""


def _missing() -> str | None:
    if CHROMIUM is None:
        return "no Chromium on this machine (Debian: apt-get install chromium chromium-driver)"
    if DRIVER is None:
        return "no chromedriver on this machine (Debian: apt-get install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={WINDOW[0]},{WINDOW[1]}", "--hide-scrollbars"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver, downloads
    finally:
        driver.quit()


def _open(driver, page: Path) -> list[str]:
    """Load ``page``; the console's errors while it loaded."""
    driver.get_log("browser")  # drop what earlier pages left
    driver.get(page.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_every_page_loads_without_console_errors_and_every_link_is_a_file_of_the_site(browser, site_root):
    driver, _ = browser
    pages = sorted(site_root.rglob("*.html"))
    assert len(pages) >= 4  # index, design page, report, setup sheet
    problems, links = [], 0
    for page in pages:
        errors = _open(driver, page)
        problems += [f"{page.relative_to(site_root)}: console: {e}" for e in errors]
        problems += [f"{page.relative_to(site_root)}: picture not loaded: {src}"
                     for src in driver.execute_script(BROKEN_IMAGES_JS)]
        for url in driver.execute_script(LINKS_JS):
            parsed = urlparse(url)
            target = Path(unquote(parsed.path))
            links += 1
            if parsed.scheme != "file":
                problems.append(f"{page.relative_to(site_root)}: leaves the site: {url}")
            elif not target.is_file() or site_root.resolve() not in target.resolve().parents:
                problems.append(f"{page.relative_to(site_root)}: no such file of the site: {url}")
    assert not problems, "\n".join(problems)
    assert links > 30


def test_every_zip_downloads_with_its_listed_sha256(browser, site_root):
    from selenium.webdriver.common.by import By

    driver, downloads = browser
    _open(driver, site_root / "index.html")
    offered = driver.execute_script(ZIPS_JS)
    assert offered and all(href.endswith(".zip") for href, _ in offered)
    sums = dict(reversed(line.split("  ", 1)) for line in (site_root / "SHA256SUMS").read_text().splitlines())
    for href, listed in offered:
        name = Path(href).name
        driver.find_element(By.CSS_SELECTOR, f'a[href="{href}"]').click()
        target = downloads / name
        deadline = time.monotonic() + 20
        while not (target.is_file() and not list(downloads.glob("*.crdownload"))) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert target.is_file(), f"{name} did not download"
        got = hashlib.sha256(target.read_bytes()).hexdigest()
        assert got == listed == sums[href], name
    # each design's page lists the same sums for the same files
    on_pages = {}
    for page in sorted(site_root.glob("*/index.html")):
        _open(driver, page)
        on_pages.update({f"{page.parent.name}/{href}": sha for href, sha in driver.execute_script(ZIPS_JS)})
    assert on_pages == dict(offered)
    assert f"{VARIANT}/" in " ".join(on_pages)


def test_a_screenshot_of_the_index_shows_the_page(browser, site_root, tmp_path_factory):
    driver, _ = browser
    assert _open(driver, site_root / "index.html") == []
    shot = tmp_path_factory.mktemp("screenshots") / "index.png"
    driver.save_screenshot(str(shot))
    if os.environ.get("OSEHW_ARTIFACTS"):
        Path(os.environ["OSEHW_ARTIFACTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(os.environ["OSEHW_ARTIFACTS"]) / "site-index.png")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == tuple(driver.execute_script("return [window.innerWidth, window.innerHeight]"))
    assert width == WINDOW[0]
    import io

    import matplotlib.image

    img = matplotlib.image.imread(io.BytesIO(png))[:, :, :3]
    # the assembly picture is drawn in BASE_RGB shades: a good patch of blue-dominant pixels proves it rendered
    from osehw.site.picture import BASE_RGB

    shaded = (img[:, :, 2] > img[:, :, 0] + 0.15) & (img.sum(axis=2) < 2.4)
    assert shaded.mean() > 0.02, f"the assembly picture is not on the screenshot ({shot})"
    assert BASE_RGB[2] > BASE_RGB[0]
    assert driver.title == "osehw — designs to download"
