"""A live server on a free port with the demo loaded, and Debian's Chromium driven by Playwright.

Without /usr/bin/chromium these tests are skipped, unless CIVIC_REQUIRE_BROWSER=1 (set by .ci/run),
in which case its absence is a failure.
"""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from review_app.extensions import db
from review_app.reports.models import OutboxMessage

from ..conftest import make_test_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
STAFF_PASSWORD = "plum kettle harbour seven"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _require(path, what):
    if Path(path).exists():
        return
    if os.environ.get("CIVIC_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} is missing at {path}; .ci/run installs it")
    pytest.skip(f"{what} not installed ({path}): browser tests skipped")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind the live server, with CSRF and everything on, and the demo loaded."""
    database = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'live.sqlite3'}"
    app = make_test_app(database, WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["seed-demo", "--with-staff"], env={"DEMO_STAFF_PASSWORD": STAFF_PASSWORD})
        assert result.exit_code == 0, result.output
    return app


def emailed_link(app, to_address: str) -> str:
    """The link in the latest email the app queued for this address (the outbox, as a mailbox)."""
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.to_address == to_address)
                                 .order_by(OutboxMessage.id.desc()).limit(1))
    return re.search(r"https?://\S+/account/(?:verify|reset)\?token=\S+", body).group(0)


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app on 127.0.0.1:<free port>."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    _require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the app itself refuses inline scripts.
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740}, is_mobile=True, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, email, password=STAFF_PASSWORD):
    page.goto("/account/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def axe_violations(page) -> list[dict]:
    """Every accessibility problem axe-core finds on the page, whatever its impact (moderate and minor too)."""
    _require(AXE, "axe-core (npm install)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
