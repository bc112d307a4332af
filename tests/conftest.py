"""Shared fixtures, each built once per session and only when asked for: the sample store
(tests/sample_store.py), the wheel installed in a fresh venv (tests/installed_wheel.py)."""

pytest_plugins = ["tests.sample_store", "tests.installed_wheel"]
