"""The semantic layer (models/marts/_semantic_layer.yml): ``mf query`` gives
segment_profiles' figures per segment, on the sample and on the real data.

One mf invocation per data set for the metrics by segment (each parses the
project's semantic manifest), and one more on the sample for the other
dimensions."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from python_tests.conftest import copy_run_dir
from tools.dbt_runner import query_db
from tools.semantic_layer import mf_project, mf_query

METRICS = [
    "revenue",
    "customers",
    "revenue_share",
    "predicted_clv",
    "average_order_value",
    "repeat_purchase_rate",
    # segment_kpis' stock at the last as-of date: the current segments
    "segment_size",
]
BY_SEGMENT = ["segment__segment_name"]

#: What mf must give per segment, from the marts: segment_profiles' own
#: columns, and the two ratios from customer_segments' rows
EXPECTED_BY_SEGMENT = """
    select
        profiles.segment_name as segment__segment_name,
        profiles.revenue,
        profiles.customers,
        profiles.revenue_share,
        profiles.total_predicted_clv as predicted_clv,
        sum(customers.monetary) / sum(customers.frequency)
            as average_order_value,
        avg(case when customers.frequency > 1 then 1.0 else 0.0 end)
            as repeat_purchase_rate
    from segment_profiles as profiles
    inner join customer_segments as customers
        on profiles.segment_id = customers.segment_id
    group by all
    order by 1
"""


def check_by_segment(found: pd.DataFrame, database: Path) -> None:
    """mf's metrics by segment equal segment_profiles' (money to the cent it
    is rounded to, shares to the 6 decimals they are rounded to)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        expected = connection.execute(EXPECTED_BY_SEGMENT).df()
    found = found.sort_values("segment__segment_name").reset_index(drop=True)
    assert list(found["segment__segment_name"]) == list(
        expected["segment__segment_name"]
    )
    assert list(found["customers"]) == list(expected["customers"])
    assert list(found["segment_size"]) == list(expected["customers"])
    tolerances = {
        "revenue": 0.01,
        "predicted_clv": 0.01,
        "revenue_share": 1e-6,
        "average_order_value": 1e-6,
        "repeat_purchase_rate": 1e-9,
    }
    for metric, tolerance in tolerances.items():
        assert found[metric].to_numpy() == pytest.approx(
            expected[metric].to_numpy(), abs=tolerance
        ), metric
    # shares of one whole
    assert found["revenue_share"].sum() == pytest.approx(1.0, abs=1e-9)


def test_mf_query_by_segment_and_other_dimensions_on_the_sample(
    built_project, tmp_path
):
    run_dir, _ = built_project
    database = copy_run_dir(run_dir, tmp_path / "run") / "x.duckdb"
    project = mf_project(run_dir / "target" / "semantic_manifest.json", tmp_path / "mf")

    check_by_segment(mf_query(project, database, METRICS, BY_SEGMENT), database)

    # the other dimensions, through the customer entity: lifecycle stage
    # (customer_lifecycle), country and first-order month (customer_segments)
    found = mf_query(
        project,
        database,
        ["customers", "revenue"],
        [
            "customer__lifecycle_stage",
            "customer__country",
            "customer__first_order_date__month",
        ],
    )
    expected = query_db(
        database,
        """
        select
            lifecycle.stage,
            coalesce(customers.country, ''),
            date_trunc('month', customers.first_order_date),
            count(*),
            sum(customers.monetary)
        from customer_segments as customers
        inner join customer_lifecycle as lifecycle
            on customers.customer_id = lifecycle.customer_id
        group by all
        order by all
        """,
    )
    rows = sorted(
        (
            row.customer__lifecycle_stage,
            "" if pd.isna(row.customer__country) else row.customer__country,
            pd.Timestamp(row.customer__first_order_date__month).date(),
            row.customers,
            row.revenue,
        )
        for row in found.itertuples()
    )
    assert [row[:4] for row in rows] == [
        (stage, country, pd.Timestamp(month).date(), customers)
        for stage, country, month, customers, _ in expected
    ]
    assert [row[4] for row in rows] == pytest.approx(
        [row[4] for row in expected], abs=0.01
    )


def test_mf_query_by_segment_on_the_real_data(online_retail, tmp_path):
    # mf opens the database as dbt does (not read-only): a copy, so that the
    # tests reading the real data's database meanwhile are not locked out
    database = tmp_path / "x.duckdb"
    shutil.copy2(online_retail.database, database)
    project = mf_project(
        online_retail.workdir / "target" / "semantic_manifest.json", tmp_path / "mf"
    )
    check_by_segment(mf_query(project, database, METRICS, BY_SEGMENT), database)
