"""dbt on the Spark target, Python models included: ``python -m tools.spark_dbt build``.

dbt-spark's ``session`` connection runs SQL in a local SparkSession, but it
submits Python models only to Databricks (``all_purpose_cluster`` or
``job_cluster``: dbt-spark issue #415). This runner registers one more
submission method, ``session``, that runs a Python model's compiled code in
the same SparkSession, makes it the default for session connections, and then
calls dbt's programmatic runner with the command line it was given. Nothing of
the adapter is copied or changed on disk: on Databricks the adapter's own
methods are used as they are (set ``submission_method`` there).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]


class SessionPythonJobHelper:
    """Runs a compiled dbt Python model in this process's SparkSession.

    The compiled code defines ``model(dbt, session)`` and ends with dbt-spark's
    own materialization code (``df.write ... saveAsTable``), which reads the
    global ``spark``; so executing it with ``spark`` bound is the whole job.
    """

    def __init__(self, parsed_model: dict, credentials: Any) -> None:
        self.relation = f"{parsed_model['schema']}.{parsed_model['alias']}"

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        code = compile(compiled_code, f"<dbt python model {self.relation}>", "exec")
        exec(code, {"spark": spark, "__name__": "__dbt_python_model__"})  # noqa: S102


def register_session_submission() -> None:
    """Add the ``session`` Python submission method to dbt-spark's adapter."""
    from dbt.adapters.base import PythonJobHelper
    from dbt.adapters.spark.impl import SparkAdapter

    helper = type(
        "SessionPythonJobHelper", (SessionPythonJobHelper, PythonJobHelper), {}
    )
    databricks_helpers = SparkAdapter.python_submission_helpers.fget
    databricks_default = SparkAdapter.default_python_submission_method.fget

    def python_submission_helpers(self):
        return {**databricks_helpers(self), "session": helper}

    def default_python_submission_method(self):
        from dbt.adapters.spark.connections import SparkConnectionMethod

        if self.config.credentials.method == SparkConnectionMethod.SESSION:
            return "session"
        return databricks_default(self)

    SparkAdapter.python_submission_helpers = property(python_submission_helpers)
    SparkAdapter.default_python_submission_method = property(
        default_python_submission_method
    )


def _prepare() -> None:
    os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    # the driver talks to itself over loopback, whatever the host name says
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # PySpark logs each failed query's JVM stack as JSON; dbt already reports
    # the error in one message
    logging.getLogger("SQLQueryContextLogger").setLevel(logging.CRITICAL)
    register_session_submission()


def invoke(argv: list[str]) -> tuple[bool, str]:
    """Run one dbt command on the Spark target: (success, error message)."""
    from dbt.cli.main import dbtRunner

    if "--target" not in argv and "-t" not in argv:
        argv = [*argv, "--target", "spark"]
    result = dbtRunner().invoke(argv)
    if result.exception is not None:
        return False, str(result.exception)
    return bool(result.success), ""


def main(argv: list[str]) -> int:
    """``python -m tools.spark_dbt <dbt arguments>``, or ``--batch FILE``.

    A batch file is a JSON list of {"args": dbt arguments, "schema": the
    schema its tables go to}, run one after the other in one SparkSession
    (one JVM start for all of them); a JSON list of {"success", "error"} is
    printed after the line ``BATCH RESULTS``. Exits non-zero when a command
    failed.
    """
    _prepare()
    if argv[:1] == ["--batch"]:
        results = []
        for command in json.loads(Path(argv[1]).read_text()):
            # the profile reads the schema from the environment at each command
            os.environ["SEGMENTATION_SPARK_SCHEMA"] = command["schema"]
            success, error = invoke(command["args"])
            results.append({"success": success, "error": error})
        print("BATCH RESULTS")
        print(json.dumps(results))
        return 0 if all(r["success"] for r in results) else 1
    success, error = invoke(argv)
    if error:
        print(f"dbt failed: {error}", file=sys.stderr)
        return 2
    return 0 if success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
