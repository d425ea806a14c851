"""The BI recipe of README's "Connect a BI tool": the database file opens in
the oldest DuckDB client it promises (1.0.0), through SQLAlchemy and
duckdb_engine as BI tools connect, and the README's ready SQL gives there
what it gives in the project's own DuckDB."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from tools.dbt_runner import PROJECT_DIR

BI_CLIENT_PYTHON = PROJECT_DIR / ".venv-bi-client" / "bin" / "python"
#: the storage version DuckDB writes in a file's header for
#: storage_compatibility_version v1.0.0 (DuckDB 2.0's own is 69)
STORAGE_VERSION_V1_0 = 64

#: run by the BI client's Python: every query through SQLAlchemy, read-only
CLIENT = """
import json, sys
import duckdb, sqlalchemy as sa
database, queries = sys.argv[1], json.loads(sys.stdin.read())
engine = sa.create_engine(f"duckdb:///{database}", connect_args={"read_only": True})
with engine.connect() as connection:
    rows = [
        [list(row) for row in connection.execute(sa.text(query)).fetchall()]
        for query in queries
    ]
print(json.dumps({"duckdb": duckdb.__version__, "rows": rows}, default=str))
"""


def readme_queries() -> list[str]:
    """The SQL blocks of README's "Connect a BI tool" section."""
    readme = (PROJECT_DIR / "README.md").read_text()
    section = readme.split("## Connect a BI tool", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def storage_version(database: Path) -> int:
    """The storage version in a DuckDB file's header: a checksum, the magic
    bytes DUCK, then the version as a little-endian 64-bit number."""
    with database.open("rb") as handle:
        header = handle.read(20)
    assert header[8:12] == b"DUCK", header
    return int.from_bytes(header[12:20], "little")


@pytest.fixture(scope="module")
def database(built_project) -> Path:
    if not BI_CLIENT_PYTHON.exists():
        pytest.skip("no BI client environment (make install-bi-client)")
    run_dir, _ = built_project
    return run_dir / "x.duckdb"


def test_the_file_is_in_duckdb_1_0s_storage_format(database):
    assert storage_version(database) == STORAGE_VERSION_V1_0


def test_readme_sql_gives_the_same_rows_in_the_oldest_bi_client(database):
    queries = readme_queries()
    assert len(queries) == 4
    client = subprocess.run(
        [str(BI_CLIENT_PYTHON), "-c", CLIENT, str(database)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert client.returncode == 0, client.stderr[-3000:]
    answer = json.loads(client.stdout)
    assert answer["duckdb"] == "1.0.0"
    with duckdb.connect(str(database), read_only=True) as connection:
        expected = [
            json.loads(json.dumps(connection.execute(q).fetchall(), default=str))
            for q in queries
        ]
        customers, segments = connection.execute(
            "select count(*), count(distinct segment_id) from customer_segments"
        ).fetchone()
    for query, got, want in zip(queries, answer["rows"], expected, strict=True):
        assert len(got) == len(want), query
        for got_row, want_row in zip(got, want, strict=True):
            assert got_row == pytest.approx(want_row), query
    sizes, top, quiet, per_country = answer["rows"]
    assert len(sizes) == segments
    assert sum(row[2] for row in sizes) == customers
    assert 0 < len(top) <= 20
    assert all(row[3] > 90 for row in quiet)
    assert sum(row[2] for row in per_country) == customers
