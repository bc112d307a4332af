"""The project's frame: environment.yml and pyproject agree; the CLI lists its commands."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed |= {_name(r) for r in dep["pip"] if not r.startswith("-e")}
        else:
            listed.add(_name(dep))
    listed.discard("python")
    listed.discard("pip")
    assert listed == wanted
    py = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert py and "3.11" in py[0]


def test_cli_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "khanalytics", "--help"], capture_output=True, text=True, check=True,
                         env={"COLUMNS": "200", "PATH": ""}).stdout
    for command in ("provinces", "resolve", "clusters", "demo"):
        assert command in out


def test_demo_prints_cluster_ii_on_both_maps():
    out = subprocess.run([sys.executable, "-m", "khanalytics", "demo"], capture_output=True, text=True, check=True,
                         env={"COLUMNS": "200", "PATH": ""}).stdout
    assert "Bắc Giang" in out and "Hải Dương" in out and "Bắc Ninh" in out
    assert out.count("Cụm II – Đông Bắc") == 2


def test_resolve_command_fails_on_unknown():
    r = subprocess.run([sys.executable, "-m", "khanalytics", "resolve", "Atlantis", "-e", "2008"],
                       capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert r.returncode == 1 and "Atlantis" in r.stdout
