"""Render the figure gallery (every figure type, synthetic data) into one offline HTML page.

    python scripts/gallery.py -o reports/gallery.html [--lang en]

Same as ``khanalytics gallery``.
"""

from __future__ import annotations

import argparse

from khanalytics.report.gallery import write_gallery


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="reports/gallery.html")
    parser.add_argument("--lang", default="vi", choices=["vi", "en"])
    args = parser.parse_args()
    path = write_gallery(args.output, args.lang)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
