"""khanalytics: numbers, maps and reports for Hội Khuyến học Việt Nam."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("khanalytics")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
