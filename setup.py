"""One build step on top of pyproject.toml: what the repository keeps at its top goes inside the package.

The report notebooks are edited in ``notebooks/`` and the demo workbooks live in ``data/sample/`` (with
``data/README.md`` saying what is synthetic); an installed package needs them under ``khanalytics/``
(``khanalytics/notebooks``, ``khanalytics/demo``), where ``report.factory.notebooks_dir`` and
``report.demo.demo_dir`` look first. An editable install reads them from the source tree instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = (  # (folder in the repository, file pattern, folder inside the package)
    ("notebooks", "*.ipynb", "khanalytics/notebooks"),
    ("data/sample", "bao_cao_*.xlsx", "khanalytics/demo"),
    ("data", "README.md", "khanalytics/demo"),
    ("data/published", "published_figures.csv", "khanalytics/demo"),  # published.store.demo_record_path
)


class BuildPy(build_py):
    """build_py that also copies the notebooks and the demo workbooks into the built package."""

    def _shipped(self) -> list[tuple[Path, Path]]:
        pairs = []
        for folder, pattern, inside in SHIPPED:
            for source in sorted((HERE / folder).glob(pattern)):
                pairs.append((source, Path(self.build_lib) / inside / source.name))
        return pairs

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the source tree is the package
            return
        pairs = self._shipped()
        if not any(s.suffix == ".ipynb" for s, _ in pairs):
            raise SystemExit("notebooks/*.ipynb missing: the package would ship without its report notebooks")
        for source, target in pairs:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        extra = [] if self.editable_mode else [str(t) for _, t in self._shipped()]
        return super().get_outputs(include_bytecode) + extra


setup(cmdclass={"build_py": BuildPy})
