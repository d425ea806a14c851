"""A dbt-duckdb plugin that imports the Python models' libraries early.

DuckDB runs the dbt Python models inside the dbt process, and the first one
to run pays for importing scikit-learn, scipy and pandas: about 1 s on this
machine, as long as the whole K-Means fit at 10M lines. The SQL models that
come first (the audit of every raw line) keep DuckDB busy and leave Python's
interpreter idle, so this plugin starts those imports in a background thread
when dbt opens the DuckDB connection. By the time the first Python model
runs, its imports are done (or nearly). At 10M lines the build is about
0.7 s shorter (see bench/README.md).

It is named in profiles.yml::

    plugins:
      - module: segmentation.preload
        config:
          preload_modules: [segmentation.pipeline]

It changes nothing but timing: a module that fails to import here is
imported again, with its real error, by the model that needs it. The thread
is not a daemon, so a command that ends before the imports do (``dbt run
--select`` of SQL models only) waits for them rather than stopping the
interpreter in the middle of an import. Warehouses that run Python models
elsewhere (Snowflake, Databricks, BigQuery) have no use for it and their
profiles leave it out.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterable
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

logger = logging.getLogger(__name__)

# what the project's Python models import (all of it through this module)
DEFAULT_MODULES = ("segmentation.pipeline",)


def import_quietly(modules: Iterable[str]) -> list[str]:
    """Import each module; return the names of those that failed.

    A failure is logged at debug level and otherwise ignored: the model that
    needs the module imports it again and reports the real error.
    """
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the model will raise it again
            logger.debug("preload of %s failed", name, exc_info=True)
            failed.append(name)
    return failed


def start_preload(modules: Iterable[str]) -> threading.Thread:
    """Start importing ``modules`` in a (non-daemon) background thread."""
    thread = threading.Thread(
        target=import_quietly,
        args=(list(modules),),
        name="segmentation-preload",
    )
    thread.start()
    return thread


class Plugin(BasePlugin):
    """Starts :func:`start_preload` when dbt-duckdb sets up its environment."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        modules = plugin_config.get("preload_modules", DEFAULT_MODULES)
        if isinstance(modules, str) or not all(isinstance(m, str) for m in modules):
            raise ValueError(
                "the segmentation.preload plugin's preload_modules must be a "
                f"list of module names, got {modules!r}"
            )
        self.thread = start_preload(modules)
