"""The command line's tests run glose on the annotated corpus of the unit tests."""

from tests.unit.conftest import annotated  # noqa: F401
