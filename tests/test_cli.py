"""The command line: errors of the package in the user's language, one message, no traceback."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "khanalytics", *args], capture_output=True, text=True, cwd=ROOT,
                          env={"COLUMNS": "200", "PATH": ""})


def test_a_bad_argument_is_one_vietnamese_message_without_traceback(tmp_path):
    r = _run("summary", "--cluster", "atlantis", "--store", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2
    assert "Traceback" not in r.stdout + r.stderr
    assert "Lỗi" in r.stderr and "--debug" in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 4


def test_the_message_follows_lang(tmp_path):
    vi = _run("render", "cluster", "--period", "2019-H1", "--store", str(tmp_path / "none.duckdb"))
    en = _run("--lang", "en", "render", "cluster", "--period", "2019-H1", "--store", str(tmp_path / "none.duckdb"))
    assert vi.returncode == en.returncode == 2
    assert "Không có kho dữ liệu" in vi.stderr and "No store" in en.stderr  # said before any kernel starts
    assert "No store" not in vi.stderr and "Không có kho" not in en.stderr


def test_debug_shows_the_traceback(tmp_path):
    r = _run("--debug", "summary", "--cluster", "atlantis", "--store", str(tmp_path / "none.duckdb"))
    assert r.returncode != 0 and "Traceback" in r.stderr


def test_a_bad_period_names_the_way_out_in_english(tmp_path):
    r = _run("render", "cluster", "--lang", "en", "--period", "2019", "--store", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2 and "2019-H2" in r.stderr and "Traceback" not in r.stderr
