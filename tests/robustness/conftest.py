"""Malformed files, made by the tests themselves (nothing committed), and the databases."""

from __future__ import annotations

from tests.integration.conftest import database_url, postgres_url, sqlite_url

__all__ = ["database_url", "postgres_url", "sqlite_url"]
