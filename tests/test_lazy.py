"""Public names loaded from their modules on first use."""

import sys
import types

import pytest

from khanalytics._lazy import lazy_names


def test_a_name_is_loaded_on_first_use_and_kept():
    package = types.ModuleType("kha_lazy_probe")
    getattr_, dir_ = lazy_names(package.__dict__, {"dumps": "json", "nothing": "json"})
    assert "dumps" in dir_() and "dumps" not in package.__dict__
    import json

    assert getattr_("dumps") is json.dumps and package.__dict__["dumps"] is json.dumps
    with pytest.raises(AttributeError, match="'kha_lazy_probe' has no attribute 'other'"):
        getattr_("other")
    with pytest.raises(AttributeError):
        getattr_("nothing")  # named, but its module does not define it


def test_the_report_package_imports_no_plotly_until_a_section_is_asked_for():
    import subprocess

    code = ("import sys, khanalytics.report as r; r.plan; print('plotly.graph_objects' in sys.modules); "
            "r.open_report; print('plotly.graph_objects' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]
