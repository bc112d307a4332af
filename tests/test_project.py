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


# Declared but never imported, each for a reason: what the package needs at run time without an import.
RUNTIME_ONLY = {
    "ipykernel": "the kernel papermill runs the report notebooks on",
    "pyarrow": "pandas' engine for parquet files (read_parquet)",
    "odfpy": "pandas' engine for .ods files (read_excel(engine='odf')), never imported by name",
    "kaleido": "plotly's image export (figures.save_figure through plotly.io.write_image)",
    "xlsxwriter": "pandas' XLSX writer for the report downloads (ExcelWriter(engine='xlsxwriter'))",
}


def _imported_distributions() -> set[str]:
    import ast
    from importlib.metadata import packages_distributions

    dists = packages_distributions()
    names: set[str] = set()
    for path in (ROOT / "khanalytics").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    names -= set(sys.stdlib_module_names) | {"khanalytics", "__future__"}
    return {_name(d) for n in names for d in dists.get(n, [n])}


def test_declared_dependencies_are_the_imported_ones():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    imported = _imported_distributions()
    assert imported - declared == set(), "imported but not declared"
    assert declared - imported == set(RUNTIME_ONLY), "declared but never imported (and not a known run-time need)"


# plotly draws a subset of HTML inside chart labels: its text is escaped for plotly, not for a page
PLOTLY_LABEL_ESCAPE = {"khanalytics/figures/_common.py"}


def test_html_is_never_built_with_html_escape():
    offenders = {str(p.relative_to(ROOT)) for p in (ROOT / "khanalytics").rglob("*.py")
                 if "html.escape(" in p.read_text(encoding="utf-8")}
    assert offenders - PLOTLY_LABEL_ESCAPE == set()  # pages and fragments come from autoescaped templates


def test_every_public_name_has_a_docstring():
    import importlib
    import inspect
    import pkgutil

    import khanalytics

    missing = []
    for info in pkgutil.walk_packages(khanalytics.__path__, prefix="khanalytics."):
        if info.name == "khanalytics.__main__":
            continue
        module = importlib.import_module(info.name)
        assert (module.__doc__ or "").strip(), info.name
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and not (obj.__doc__ or "").strip():
                missing.append(f"{info.name}.{name}")
    assert missing == []
