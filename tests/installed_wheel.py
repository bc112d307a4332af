"""The package built as a wheel and installed, with its dependencies, into a fresh virtual environment.

Once per test session (``installed`` and ``demo_folder`` fixtures; import them into a test module). The
wheel is built from a copy of the working tree (so that the build never writes into the checkout), then
``pip install`` puts it and its dependencies into a new venv, the way a user installs it; pip's cache,
find-links and index settings are the machine's own. Everything the tests then run — ``khanalytics``,
``papermill``, ``jupyter nbconvert`` and the kernel — is that environment's, from a folder outside the
repository, with ``KHANALYTICS_NOTEBOOKS`` unset. The venv (about 800 MB) is deleted at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_NOT_BUILT = shutil.ignore_patterns(".git", ".venv", "build", "dist", "reports", "*.duckdb", "*.duckdb.wal",
                                    "__pycache__", "*.egg-info", ".hypothesis", ".pytest_cache", ".ruff_cache",
                                    ".ipynb_checkpoints", "tests", "benchmarks")


@dataclass
class Installed:
    """A venv holding the installed wheel; ``seconds`` records how long each step took."""

    venv: Path
    wheel: Path
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        """The environment of a user of this venv: its bin first, no trace of the checkout."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("KHANALYTICS_NOTEBOOKS", "KHANALYTICS_STORE", "VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_PATH",
                            "JUPYTER_CONFIG_PATH", "JUPYTER_CONFIG_DIR")}
        env.update(PATH=f"{self.venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin", VIRTUAL_ENV=str(self.venv),
                   COLUMNS="200", PYTHONDONTWRITEBYTECODE="1")
        return env

    def run(self, *args: str | os.PathLike[str], cwd: Path, check: bool = True,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv (``khanalytics``, ``papermill``, ``jupyter``, ``python``) in ``cwd``."""
        command = [str(self.venv / "bin" / str(args[0])), *map(str, args[1:])]
        done = subprocess.run(command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}",
                        pytrace=False)
        return done


def _timed(seconds: dict[str, float], step: str, command: list[str], **kwargs: object) -> None:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    seconds[step] = round(time.perf_counter() - start, 1)
    if done.returncode != 0:
        pytest.fail(f"{step}: {' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}", pytrace=False)


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The wheel of the working tree, installed with its dependencies into a new venv."""
    root = tmp_path_factory.mktemp("wheel")
    source, dist, venv = root / "source", root / "dist", root / "venv"
    seconds: dict[str, float] = {}
    shutil.copytree(REPO, source, ignore=_NOT_BUILT)
    _timed(seconds, "wheel", [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(dist)])
    wheel = next(dist.glob("khanalytics-*.whl"))
    _timed(seconds, "venv", [sys.executable, "-m", "venv", str(venv)])
    _timed(seconds, "install", [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)])
    try:
        yield Installed(venv, wheel, seconds)
    finally:
        shutil.rmtree(venv, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_folder(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder outside the repository where the installed ``khanalytics demo --render`` ran; and its output."""
    folder = tmp_path_factory.mktemp("elsewhere")
    start = time.perf_counter()
    done = installed.run("khanalytics", "demo", "--render", cwd=folder)
    installed.seconds["demo"] = round(time.perf_counter() - start, 1)
    return folder, done.stdout
