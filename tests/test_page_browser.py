"""The page in a real browser: Playwright driving Debian's chromium (``apt-get install chromium``;
no browser is downloaded). Skips when either is missing."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "examples" / "ministry-claims.txt").read_text(encoding="utf-8")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    import uvicorn

    from unspun.server import create_app
    from unspun.settings import load_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = load_settings({"store": tmp_path_factory.mktemp("p") / "fc.db", "workers": 1})
    server = uvicorn.Server(uvicorn.Config(create_app(settings), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 120
    while not server.started and time.time() < deadline:
        time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _analyse(page, server_url, text):
    page.goto(server_url + "/")
    page.fill("#text", text)
    page.click("#go")


def test_paste_highlight_slide_hover_download(browser, server_url, tmp_path):
    page = browser.new_page(viewport={"width": 1200, "height": 1400}, accept_downloads=True)
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    _analyse(page, server_url, EXAMPLE)
    page.wait_for_selector("#results", state="visible", timeout=60_000)
    # the slider starts at the readers' threshold; below it every candidate span shows
    assert page.input_value("#min-score") == "0.5"
    page.fill("#min-score", "0")
    page.dispatch_event("#min-score", "input")
    page.wait_for_selector("#article mark", timeout=10_000)
    marks = page.locator("#article mark").count()
    assert marks > 0 and page.locator("#chips .chip").count() > 0
    page.locator("#article mark").first.hover()
    assert page.locator("#tooltip").is_visible() and "(" in page.locator("#tooltip").inner_text()
    page.fill("#min-score", "0.95")
    page.dispatch_event("#min-score", "input")
    assert page.locator("#article mark").count() < marks
    with page.expect_download() as download:
        page.click("#download-json")
    saved = tmp_path / "report.json"
    download.value.save_as(saved)
    assert '"techniques"' in saved.read_text(encoding="utf-8")
    # a speaker a pronoun stands for says so (session 30): "Dmitry Peskov (as “he”, 0.79 sure)"
    assert "(as \u201che\u201d, " in page.locator("#claims").inner_text()
    assert errors == []


def test_hostile_article_text_stays_inert(browser, server_url):
    page = browser.new_page()
    hostile = (
        'The ministry said "<img src=x onerror=window.pwned=1>" was staged. '
        "<script>window.pwned=2</script> Kiev insists it was real."
    )
    _analyse(page, server_url, hostile)
    page.wait_for_selector("#results", state="visible", timeout=60_000)  # (the CSP forbids eval)
    assert page.evaluate("window.pwned") is None
    assert page.locator("#article img, #article script").count() == 0
    assert "<img src=x" in page.locator("#article").inner_text()
