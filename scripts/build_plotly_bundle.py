"""Build the small plotly.js that report pages inline: plotly.js's own modules, only the trace types we draw.

Run at dev time, on a machine with node and npm (CI has no node, so the result is committed)::

    .venv/bin/python scripts/build_plotly_bundle.py

It installs ``plotly.js@<the version plotly.py ships>`` and a pinned esbuild into a temporary folder,
bundles ``lib/core`` (scatter is part of the core) plus ``Plotly.register([...])`` of the traces in
:data:`TRACES`, minified, and writes into ``khanalytics/figures/vendor/``:

- ``plotly-custom.min.js``: the bundle (plotly.js's banner first, the bundled packages' licence notes last);
- ``plotly-custom.json``: plotly.js version, traces, sha256, size, esbuild version and command, and the
  version of every npm package whose code went in;
- ``LICENSE-plotly.js.txt``: plotly.js's MIT licence.

The plotly.js version must be the one plotly.py bundles (``plotly.offline.get_plotlyjs_version()``): the
figure JSON plotly.py writes is made for it, and ``tests/test_figures_bundle.py`` fails when plotly.py was
upgraded and this script not run again. ``--check`` rebuilds into a temporary folder and says whether the
committed bundle is the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from plotly.offline import get_plotlyjs_version

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "khanalytics" / "figures" / "vendor"
BUNDLE = "plotly-custom.min.js"
MANIFEST = "plotly-custom.json"
LICENCE = "LICENSE-plotly.js.txt"
ESBUILD = "0.28.2"  # pinned: the same version builds the same bytes
TRACES = ("scatter", "bar", "heatmap", "scattergeo", "choropleth")
"""What khanalytics.figures draws (scatter comes with lib/core). No calendars component: our figures use
the default gregorian calendar only."""

ESBUILD_ARGS = (
    "--bundle", "--minify", "--format=iife", "--global-name=Plotly", "--target=es2016",
    "--define:global=window", "--define:define.amd=false", "--loader:.css=empty", "--legal-comments=eof",
    "--charset=ascii",
)
"""As plotly.js's own esbuild-config.js (iife, global Plotly, es2016, global=window, no AMD), minified, with
the bundled packages' licence comments kept at the end; non-ASCII escaped (but for one regex literal).
The one CSS plotly.js requires (maplibre-gl's, for map traces only) is left out."""


def _entry(traces: tuple[str, ...]) -> str:
    modules = "".join(f"    require('plotly.js/lib/{t}'),\n" for t in traces if t != "scatter")
    return f"'use strict';\nvar Plotly = require('plotly.js/lib/core');\nPlotly.register([\n{modules}]);\nmodule.exports = Plotly;\n"


def _banner(work: Path, version: str, traces: tuple[str, ...]) -> str:
    """plotly.js's own banner (that of its dist/plotly.min.js: version, copyright, licence), saying which
    traces this bundle holds."""
    dist = (work / "node_modules/plotly.js/dist/plotly.min.js").read_text(encoding="utf-8")
    head = dist[: dist.index("*/") + 2]
    line = f"* plotly.js v{version}"
    if not head.startswith("/**") or line not in head:
        raise SystemExit(f"unexpected banner in plotly.js's dist/plotly.min.js: {head[:200]!r}")
    return head.replace(line, f"{line} (partial bundle: {', '.join(traces)})", 1)


def _run(cmd: list[str], cwd: Path) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _packages(work: Path, metafile: Path) -> dict[str, str]:
    """name -> version of every npm package with code in the bundle (from esbuild's metafile)."""
    meta = json.loads(metafile.read_text(encoding="utf-8"))
    inputs = next(iter(meta["outputs"].values()))["inputs"]
    names = set()
    for path, facts in inputs.items():
        if not facts.get("bytesInOutput"):
            continue
        parts = path.split("node_modules/")[-1].split("/") if "node_modules/" in path else []
        if parts:
            names.add("/".join(parts[:2]) if parts[0].startswith("@") else parts[0])
    return {n: json.loads((work / "node_modules" / n / "package.json").read_text(encoding="utf-8"))["version"]
            for n in sorted(names)}


def build(out: Path, version: str, traces: tuple[str, ...] = TRACES) -> dict:
    """Build the bundle for plotly.js ``version`` into ``out``; return the manifest written next to it."""
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found: this script runs at dev time, with node 18+ and npm")
    with tempfile.TemporaryDirectory(prefix="plotly-bundle-") as tmp:
        work = Path(tmp)
        (work / "package.json").write_text(json.dumps({"name": "kha-plotly-bundle", "private": True}),
                                           encoding="utf-8")
        _run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact",
              f"plotly.js@{version}", f"esbuild@{ESBUILD}"], work)
        installed = json.loads((work / "node_modules/plotly.js/package.json").read_text(encoding="utf-8"))["version"]
        if installed != version:
            raise SystemExit(f"npm installed plotly.js {installed}, not {version}")
        (work / "entry.js").write_text(_entry(traces), encoding="utf-8")
        banner = _banner(work, version, traces)
        args = [*ESBUILD_ARGS, f"--banner:js={banner}", "--metafile=meta.json", "--log-level=warning",
                f"--outfile={BUNDLE}"]
        _run([str(work / "node_modules/.bin/esbuild"), "entry.js", *args], work)
        data = (work / BUNDLE).read_bytes()
        out.mkdir(parents=True, exist_ok=True)
        (out / BUNDLE).write_bytes(data)
        shutil.copyfile(work / "node_modules/plotly.js/LICENSE", out / LICENCE)
        manifest = {
            "plotly.js": version,
            "traces": list(traces),
            "file": BUNDLE,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "built_with": f"esbuild {ESBUILD} entry.js {' '.join(ESBUILD_ARGS)} --banner:js=<plotly.js's banner>",
            "entry": _entry(traces),
            "how": "scripts/build_plotly_bundle.py (npm install plotly.js@<version> esbuild@<pinned>; esbuild)",
            "packages": _packages(work, work / "meta.json"),
        }
        (out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a temporary folder and compare with the committed bundle")
    opts = parser.parse_args(argv)
    version = get_plotlyjs_version()
    if opts.check:
        with tempfile.TemporaryDirectory() as tmp:
            built = build(Path(tmp), version)
        committed = json.loads((VENDOR / MANIFEST).read_text(encoding="utf-8"))
        same = built["sha256"] == committed["sha256"]
        print(f"{'same' if same else 'DIFFERENT'}: built {built['sha256']}, committed {committed['sha256']}")
        return 0 if same else 1
    manifest = build(VENDOR, version)
    print(f"plotly.js {version} ({', '.join(manifest['traces'])}): {manifest['bytes']:,} bytes, "
          f"sha256 {manifest['sha256']} -> {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
