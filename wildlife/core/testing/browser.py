"""Playwright in Debian's Chromium (never a downloaded browser) against Django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    return os.environ.get("WILDLIFE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        if os.environ.get("WILDLIFE_REQUIRE_E2E"):
            pytest.fail("Chromium is required for end-to-end tests (apt-get install chromium)")
        pytest.skip("Chromium not installed (apt-get install chromium); `make test` installs it")
    from playwright.sync_api import expect, sync_playwright

    # the machines running the suite are shared: give assertions the same patience as actions
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def _serial_live_server_on_sqlite() -> None:
    """On SQLite the live server's threads share the test's one in-memory connection; two requests at once (a map
    page fetching two layers) would use it at the same time ("cannot start a transaction within a transaction").
    There the live server answers one request at a time. Must run before `live_server` starts (see page_factory)."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)  # requests run in the server thread, which holds the connection

    if "sqlite" in str(settings.DATABASES["default"]["ENGINE"]) or "spatialite" in str(settings.DATABASES["default"]["ENGINE"]):
        setattr(LiveServerThread, "server_class", SerialWSGIServer)  # noqa: B010 - not in the type stubs


@pytest.fixture
def page_factory(browser: Any, _serial_live_server_on_sqlite: None, live_server: Any) -> Iterator[Callable[..., Any]]:
    """page_factory(viewport=(1366, 768)) → a fresh page whose relative URLs go to the live server."""
    contexts: list[Any] = []

    def make(viewport: tuple[int, int] = (1366, 768), **kwargs: Any) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": viewport[0], "height": viewport[1]},
            locale="zh-CN",
            accept_downloads=True,
            **kwargs,
        )
        context.set_default_timeout(15_000)
        # nothing leaves the machine: anything not served by the live server is refused
        context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(page_factory: Callable[..., Any]) -> Any:
    return page_factory()


def login(page: Any, username: str, password: str | None = None) -> None:
    """Log in through the real login form (administrators also need the second factor)."""
    from wildlife.core.testing.cast import TEST_PASSWORD

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
