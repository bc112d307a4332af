"""Shared fixtures: the sample store is built once per session (tests/sample_store.py)."""

pytest_plugins = ["tests.sample_store"]
