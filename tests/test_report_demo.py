"""The demo's data: the sample workbooks the package ships, found where the package is, said to be synthetic.

Rendering the demo from an installed wheel, outside the repository, is tests/test_wheel.py's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from khanalytics.errors import KhanalyticsError
from khanalytics.report import demo, factory
from khanalytics.report.factory import NotebooksExistError, copy_notebooks

ROOT = Path(__file__).resolve().parents[1]


def test_demo_files_are_every_half_year_of_the_sample() -> None:
    files = demo.demo_files()
    assert [f.name for f in files] == sorted(p.name for p in (ROOT / "data" / "sample").glob("bao_cao_*.xlsx"))
    names = {f.stem for f in files}
    assert {f"bao_cao_{demo.DEMO_PERIOD}", "bao_cao_2018-H1"} <= names  # the period and its "cùng kỳ"


def test_demo_says_the_data_are_synthetic_in_both_languages() -> None:
    vi, en = demo.SYNTHETIC_NOTICE
    assert "giả lập" in vi and "synthetic" in en


def test_a_checkout_reads_the_source_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # an editable install: setup.py copies these into khanalytics/ only when it builds a wheel (test_wheel.py)
    monkeypatch.delenv("KHANALYTICS_NOTEBOOKS", raising=False)
    assert not (ROOT / "khanalytics" / "notebooks").exists() and not (ROOT / "khanalytics" / "demo").exists()
    assert factory.notebooks_dir() == ROOT / "notebooks" and demo.demo_dir() == ROOT / "data" / "sample"


def test_copy_notebooks_never_overwrites_an_edit(tmp_path: Path) -> None:
    copied = copy_notebooks(tmp_path)
    assert sorted(p.name for p in copied) == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    (tmp_path / "explore.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(NotebooksExistError) as err:
        copy_notebooks(tmp_path)
    assert isinstance(err.value, KhanalyticsError) and "explore.ipynb" in err.value.vi
    assert (tmp_path / "explore.ipynb").read_text(encoding="utf-8") == "{}"
    copy_notebooks(tmp_path, overwrite=True)
    assert (tmp_path / "explore.ipynb").read_text(encoding="utf-8") != "{}"
