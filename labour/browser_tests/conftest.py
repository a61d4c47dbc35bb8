"""Playwright fixtures: the system Chromium (Debian's /usr/bin/chromium), headless.

Playwright's sync API runs an event loop in the test thread; the test still reads
the SMS outbox through the ORM, which Django would otherwise refuse there.
"""

import os
import threading
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI: Chromium ({CHROMIUM}) is required for the browser tests but is not installed")
        pytest.skip(f"Chromium ({CHROMIUM}) not installed: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


# ------------------------------------------------------------ live server

_SERVER_LOCK = threading.Lock()


class _OneRequestAtATime:
    """WSGI wrapper: handle one request at a time, the response read to its end
    (and closed) under the lock.

    With SQLite the test database is in memory and the live server's request
    threads all share the test's one connection; a browser loads a page's images
    and iframe in parallel, and each request writes (session, audit log), so two
    threads would interleave on that connection ("database table is locked").
    PostgreSQL gives each thread its own connection and needs none of this."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with _SERVER_LOCK:
            response = self.app(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        return [body]


@pytest.fixture
def live_server(live_server):
    """pytest-django's live server, serialised when it shares an SQLite connection."""
    httpd = live_server.thread.httpd
    if live_server.thread.connections_override and not isinstance(httpd.application,
                                                                   _OneRequestAtATime):
        httpd.set_app(_OneRequestAtATime(httpd.application))
    return live_server


@pytest.fixture
def server_idle(live_server):
    """`with server_idle:` around the test's own ORM use: waits until the live server
    is between requests (a favicon or an image may still be loading) and keeps it so."""
    return _SERVER_LOCK
