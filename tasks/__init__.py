"""Row functions of the pipeline and the thin Prefect tasks that batch them."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("wiredesk")
except PackageNotFoundError:  # running from a source tree that was not installed
    VERSION = "0+unknown"
