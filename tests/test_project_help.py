"""Issue 11, item 6: help() alone finds the API, and papermill --help-notebook says each parameter's type and use."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import khanalytics

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("cluster_report", "province_profile", "national_overview", "explore")


def _public_classes():
    for info in pkgutil.walk_packages(khanalytics.__path__, prefix="khanalytics."):
        if info.name == "khanalytics.__main__":
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if not name.startswith("_") and inspect.isclass(obj) and obj.__module__ == module.__name__:
                yield f"{info.name}.{name}", obj


def test_every_public_method_and_property_has_a_docstring():
    missing = []
    for where, cls in _public_classes():
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            target = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
            if (isinstance(member, property) or inspect.isfunction(target)) and not (target.__doc__ or "").strip():
                missing.append(f"{where}.{name}")
    assert missing == []


@pytest.mark.parametrize("name", ["Store.periods", "Report.summary", "Report.trends", "Report.members"])
def test_the_names_the_issue_lists_explain_themselves(name):
    from khanalytics.report.sections import Report
    from khanalytics.store import Store

    owner, attr = name.split(".")
    member = vars({"Store": Store, "Report": Report}[owner])[attr]
    assert ((member.fget if isinstance(member, property) else member).__doc__ or "").strip()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_papermill_help_gives_each_parameters_type_and_help(name):
    out = subprocess.run([sys.executable, "-m", "papermill", "--help-notebook", f"notebooks/{name}.ipynb"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "Unknown type" not in out
    assert 'period: str (default "2019-H1")' in out and "2019-H2" in out
    assert "store: str" in out and "DuckDB" in out
    if name != "explore":
        assert "indicators: Optional[list[str]] (default None)" in out and "lang: str" in out and "vi hoặc en" in out
