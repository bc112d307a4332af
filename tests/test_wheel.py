"""The installed package, as a new user meets it: a wheel in a fresh venv, used from a folder outside the repository.

The wheel must carry the report notebooks and the demo workbooks (kept at the repository's top), the
nbconvert exporter's entry point and nbconvert's config; ``khanalytics demo --render`` must render the
founding report from them alone.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.installed_wheel import Installed

pytestmark = pytest.mark.slow

_WHERE = """
import json, khanalytics
from importlib.metadata import entry_points
from khanalytics.report.demo import demo_dir
from khanalytics.report.factory import notebooks_dir
print(json.dumps({"package": khanalytics.__file__, "notebooks": str(notebooks_dir()), "demo": str(demo_dir()),
                  "exporters": [e.value for e in entry_points(group="nbconvert.exporters", name="khanalytics")]}))
"""


def test_wheel_carries_notebooks_demo_data_and_nbconvert_config(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    for notebook in ("cluster_report", "province_profile", "national_overview", "explore"):
        assert f"khanalytics/notebooks/{notebook}.ipynb" in names
    assert sum(n.startswith("khanalytics/demo/bao_cao_") for n in names) == 23
    assert {"khanalytics/demo/README.md", "khanalytics/demo/published_figures.csv"} <= set(names)
    config = installed.venv / "etc" / "jupyter" / "jupyter_nbconvert_config.json"
    assert json.loads(config.read_text())["TagRemovePreprocessor"]["remove_cell_tags"] == ["remove"]


def test_installed_package_finds_its_own_notebooks_and_data(installed: Installed, tmp_path: Path) -> None:
    where = json.loads(installed.run("python", "-c", _WHERE, cwd=tmp_path).stdout)
    site = installed.venv / "lib"
    for key in ("package", "notebooks", "demo"):
        assert Path(where[key]).is_relative_to(site), (key, where[key])
    assert where["exporters"] == ["khanalytics.report.exporter:KhanalyticsExporter"]


def test_demo_renders_the_founding_report_outside_the_repository(installed: Installed,
                                                                  demo_folder: tuple[Path, str]) -> None:
    folder, out = demo_folder
    assert "giả lập" in out  # the data are said to be synthetic before anything else
    page = folder / "reports" / "2019-H1" / "cum-2-dong-bac.html"
    text = page.read_text(encoding="utf-8")
    assert "2.265.712" in text and "24,07" in text and "SỐ LIỆU MINH HOẠ" in text
    assert (folder / "data" / "khanalytics.duckdb").exists()
    print(f"\nwheel {installed.wheel.stat().st_size / 1e6:.2f} MB; seconds {installed.seconds}; "
          f"page {page.stat().st_size / 1e6:.1f} MB")


def test_render_without_a_store_says_so_before_any_kernel(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("khanalytics", "render", "cluster", cwd=tmp_path, check=False)
    assert done.returncode == 2 and "Không có kho dữ liệu" in done.stderr
    assert "Kernel" not in done.stderr and "ipykernel" not in done.stderr.lower()


def test_notebooks_command_copies_them_and_never_overwrites(installed: Installed, tmp_path: Path) -> None:
    installed.run("khanalytics", "notebooks", "so", cwd=tmp_path)
    assert sorted(p.name for p in (tmp_path / "so").glob("*.ipynb")) == [
        "cluster_report.ipynb", "explore.ipynb", "national_overview.ipynb", "province_profile.ipynb"]
    (tmp_path / "so" / "explore.ipynb").write_text("{}", encoding="utf-8")  # an analyst's edit
    again = installed.run("khanalytics", "notebooks", "so", cwd=tmp_path, check=False)
    assert again.returncode == 2 and "không ghi đè" in again.stderr
    assert (tmp_path / "so" / "explore.ipynb").read_text(encoding="utf-8") == "{}"
