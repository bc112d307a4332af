"""The curated public API of ``khanalytics``: every name resolves, says what it is for, and loads lazily."""

import subprocess
import sys

import khanalytics


def test_every_public_name_resolves_with_a_docstring():
    for name in khanalytics.__all__:
        value = getattr(khanalytics, name)
        if name != "__version__":
            assert (value.__doc__ or "").strip(), name


def test_importing_the_package_stays_light():
    code = "import sys, khanalytics; print('pandas' in sys.modules, 'plotly' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_help_describes_the_flow():
    assert "read → validate → store → analyse → draw → report" in khanalytics.__doc__
