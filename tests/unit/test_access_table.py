"""The authorisation table (tests/access/table.py) names every route the app serves."""

from __future__ import annotations

from tests.access.routes import api_routes, page_routes
from tests.access.table import API, PAGES


def test_every_page_of_the_app_is_in_the_table() -> None:
    missing = page_routes() - {row.route for row in PAGES}
    assert not missing, (
        f"pages missing from tests/access/table.py: {sorted(missing)} — add a row per page "
        "(see the table's docstring)"
    )


def test_every_page_of_the_table_exists() -> None:
    gone = {row.route for row in PAGES} - page_routes()
    assert not gone, f"rows of tests/access/table.py name no page of the app: {sorted(gone)}"


def test_every_api_route_is_in_the_table() -> None:
    missing = api_routes() - {(row.method, row.path) for row in API}
    assert not missing, (
        f"API routes missing from tests/access/table.py: {sorted(missing)} — add a row each"
    )


def test_every_api_row_of_the_table_exists() -> None:
    gone = {(row.method, row.path) for row in API} - api_routes()
    assert not gone, f"rows of tests/access/table.py name no API route: {sorted(gone)}"


def test_no_route_appears_twice() -> None:
    pages = [row.route for row in PAGES]
    calls = [(row.method, row.path) for row in API]
    assert len(pages) == len(set(pages)) and len(calls) == len(set(calls))
