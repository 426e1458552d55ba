"""Snapshot fixtures reuse the app factory of the Pilot tests."""

from tests.app.conftest import make_app  # noqa: F401
