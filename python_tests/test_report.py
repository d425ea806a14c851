"""The segment report (tools/report.py) and the static dbt docs, opened in
headless Chromium (tools/browser.py): every chart drawn, no console message,
a screenshot; sections whose marts are absent become notes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from python_tests.conftest import copy_run_dir
from tools.browser import charts_per_section, open_page
from tools.dbt_runner import run_dbt
from tools.report import (
    OKABE_ITO,
    REQUIRED_MARTS,
    build_report,
    sample_customers,
    segment_colours,
)

#: the sections drawn from the marts every build has, and their charts
ALWAYS = {
    "k-choice": 1,
    "sizes": 1,
    "centroids": 1,
    "pca": 1,
    "profiles": 0,
    "audit": 1,
}


def expected_charts(database: Path) -> dict[str, int]:
    """The charts each section should draw, from the marts the database has."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = {
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables"
            ).fetchall()
        }
        profile_columns = {
            row[0] for row in connection.execute("describe segment_profiles").fetchall()
        }
    return {
        **ALWAYS,
        "migration": int("segment_migration" in tables),
        "shares": int(bool({"segment_kpis", "customer_segment_history"} & tables)),
        "value": int(
            "customer_value" in tables or "total_predicted_clv" in profile_columns
        ),
        # the rules are a table and a reading, no chart
        "rules": 0,
    }


def render(database: Path, out: Path, screenshot: Path | None = None):
    """Build the report and open it in Chromium: (sections, page)."""
    sections = build_report(database, out)
    page = open_page(out.resolve().as_uri(), screenshot=screenshot)
    return sections, page


def assert_self_contained(text: str) -> None:
    """No script, and nothing loaded from the network."""
    assert "<script" not in text
    assert not re.search(r"""(src|href)=["']https?:""", text)
    assert "url(http" not in text
    assert "@import" not in text
    # several SVGs in one page: matplotlib's ids must not collide
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids))


def test_report_on_the_sample_renders_every_chart(built_project, tmp_path):
    run_dir, _ = built_project
    database = run_dir / "x.duckdb"
    out = tmp_path / "segment_report.html"
    sections, page = render(database, out, tmp_path / "report.png")
    drawn, announced = charts_per_section(page.dom)
    expected = expected_charts(database)
    assert drawn == expected
    assert announced == expected
    assert {s.id: s.charts for s in sections} == expected
    assert page.console == []
    assert page.screenshot.stat().st_size > 10_000
    text = out.read_text(encoding="utf-8")
    assert_self_contained(text)
    # inline SVG with text kept as text: a small file on a small sample
    assert out.stat().st_size < 1_000_000
    # the sizes section's reading quotes the mart's own shares
    with duckdb.connect(str(database), read_only=True) as connection:
        profiles = connection.execute("select * from segment_profiles").df()
    top = profiles.loc[
        (profiles["revenue_share"] / profiles["customer_share"]).idxmax()
    ]
    sizes = next(s for s in sections if s.id == "sizes")
    assert f"{100 * top['customer_share']:.0f}% of customers" in sizes.reading
    assert f"{100 * top['revenue_share']:.0f}% of revenue" in sizes.reading


def marts_only_copy(source: Path, target: Path, marts=REQUIRED_MARTS) -> Path:
    """A database holding only ``marts`` of ``source`` (copied as tables)."""
    with duckdb.connect(str(target)) as connection:
        connection.execute(f"attach '{source}' as source (read_only)")
        for mart in marts:
            connection.execute(f"create table {mart} as select * from source.{mart}")
        connection.execute("detach source")
    return target


def test_absent_marts_become_notes_and_data_text_is_escaped(built_project, tmp_path):
    run_dir, _ = built_project
    database = marts_only_copy(run_dir / "x.duckdb", tmp_path / "marts.duckdb")
    with duckdb.connect(str(database)) as connection:
        # drop the value columns too: the value section has no source then
        columns = [
            row[0]
            for row in connection.execute("describe segment_profiles").fetchall()
            if "predicted_clv" in row[0]
        ]
        for column in columns:
            connection.execute(f"alter table segment_profiles drop column {column}")
        connection.execute(
            "update segment_profiles set segment_name = '<b>Big & \"bold\"</b>' "
            "where segment_id = 1"
        )
    out = tmp_path / "report.html"
    sections, page = render(database, out)
    by_id = {s.id: s for s in sections}
    for absent in ("migration", "shares", "value", "rules"):
        assert by_id[absent].charts == 0
        assert by_id[absent].reading.startswith("Not shown")
    drawn, _ = charts_per_section(page.dom)
    assert drawn == {**ALWAYS, "migration": 0, "shares": 0, "value": 0, "rules": 0}
    assert page.console == []
    text = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;Big &amp; &quot;bold&quot;&lt;/b&gt;" in text
    assert "<b>Big" not in text


def test_rules_section_reads_segment_rules_and_fidelity(built_project, tmp_path):
    """segment_rules and cluster_diagnostics.rules_fidelity as the rules part
    of issue 17 writes them: the section lists every rule and the fidelity."""
    run_dir, _ = built_project
    database = marts_only_copy(run_dir / "x.duckdb", tmp_path / "rules.duckdb")
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "create or replace table segment_rules as select * from (values "
            "(1, 1, 'Champions', 'bought within 30 days and 5 or more orders', "
            "'recency_days <= 30 and frequency >= 5', 40::bigint, 36::bigint, "
            "0.9, 0.8), "
            "(2, 2, 'Others', 'ordered <script>x</script> once', "
            "'frequency < 5', 60::bigint, 57::bigint, 0.95, 0.99)) "
            "as t(rule_id, segment_id, segment_name, rule_text, rule_sql, "
            "customers, customers_in_segment, precision, recall)"
        )
        connection.execute(
            "alter table cluster_diagnostics add column if not exists "
            "rules_fidelity double"
        )
        connection.execute(
            "update cluster_diagnostics set rules_fidelity = 0.931 where is_selected"
        )
    out = tmp_path / "report.html"
    sections = build_report(database, out)
    rules = next(s for s in sections if s.id == "rules")
    assert (
        rules.reading
        == "2 rules agree with the K-Means segment for 93.1% of customers."
    )
    assert "bought within 30 days and 5 or more orders" in rules.body
    assert "ordered &lt;script&gt;x&lt;/script&gt; once" in rules.body
    assert "recency_days &lt;= 30 and frequency &gt;= 5" in rules.body
    assert "<script" not in out.read_text(encoding="utf-8")


def test_missing_required_mart_is_a_clear_error(built_project, tmp_path):
    run_dir, _ = built_project
    database = marts_only_copy(
        run_dir / "x.duckdb", tmp_path / "partial.duckdb", REQUIRED_MARTS[1:]
    )
    with pytest.raises(SystemExit, match="no customer_segments: build it first"):
        build_report(database, tmp_path / "report.html")
    with pytest.raises(SystemExit, match="no database at"):
        build_report(tmp_path / "absent.duckdb", tmp_path / "report.html")


def test_scatter_sample_is_fixed_and_bounded():
    points = pd.DataFrame({"customer_id": [f"c{i:05d}" for i in range(500)]})
    sample = sample_customers(points, limit=120, seed=3)
    assert len(sample) == 120
    assert sample["customer_id"].is_unique
    shuffled = points.sample(frac=1, random_state=1)
    assert sample.equals(sample_customers(shuffled, limit=120, seed=3))
    assert not sample.equals(sample_customers(points, limit=120, seed=4))
    assert len(sample_customers(points, limit=1000)) == 500


def test_one_colour_per_segment_in_order():
    colours = segment_colours([5, 2, 9, 2])
    assert list(colours) == [2, 5, 9]
    assert list(colours.values()) == list(OKABE_ITO[:3])
    assert len(set(segment_colours(range(8)).values())) == 8


def test_console_messages_are_read(tmp_path):
    """The check the report's test relies on: a console message is seen."""
    page_file = tmp_path / "console.html"
    page_file.write_text(
        "<html><body><p>x</p><script>console.error('boom: test')</script>"
        "</body></html>",
        encoding="utf-8",
    )
    page = open_page(page_file.as_uri())
    assert page.console == ["boom: test"]


def test_static_docs_render_lineage_and_model_page(built_project, tmp_path):
    run_dir, vars = built_project
    docs_dir = copy_run_dir(run_dir, tmp_path / "docs")
    run = run_dbt(["docs", "generate", "--static"], docs_dir, vars)
    assert run.returncode == 0, run.output[-4000:]
    static = docs_dir / "target" / "static_index.html"
    assert static.exists()
    # opened from disk, away from the target dir's manifest and catalog: the
    # static page carries them
    alone = tmp_path / "alone" / "static_index.html"
    alone.parent.mkdir()
    shutil.copy2(static, alone)
    url = alone.as_uri()

    graph = open_page(
        url + "#!/overview?g_v=1", tmp_path / "docs_graph.png", budget_ms=10_000
    )
    node_layer = re.search(r'<canvas[^>]*data-id="layer2-node"[^>]*>', graph.dom)
    assert node_layer, "the lineage graph drew no canvas"
    width = re.search(r'\bwidth="(\d+)"', node_layer.group(0))
    height = re.search(r'\bheight="(\d+)"', node_layer.group(0))
    assert width and height and int(width.group(1)) > 0 and int(height.group(1)) > 0
    assert graph.console == []

    model = open_page(
        url + "#!/model/model.customer_segmentation.customer_segments.v1",
        tmp_path / "docs_model.png",
        budget_ms=10_000,
    )
    rendered = re.sub(r"<script\b.*?</script>", "", model.dom, flags=re.S)
    assert re.search(
        r'<h1>\s*<span class="break ng-binding">customer_segments</span>', rendered
    )
    shown = re.findall(r'<span class="text-dark ng-binding">([^<]+)</span>', rendered)
    with duckdb.connect(str(docs_dir / "x.duckdb"), read_only=True) as connection:
        columns = [
            row[0]
            for row in connection.execute("describe customer_segments").fetchall()
        ]
    assert shown[: len(columns)] == columns
    assert model.console == []


@pytest.mark.integration
def test_report_on_the_real_data(online_retail, tmp_path):
    database = online_retail.database
    out = tmp_path / "segment_report.html"
    sections, page = render(database, out, tmp_path / "report_real.png")
    drawn, _ = charts_per_section(page.dom)
    assert drawn == expected_charts(database)
    assert page.console == []
    assert_self_contained(out.read_text(encoding="utf-8"))
    # the scatter's points are one raster image, so the file stays small
    assert out.stat().st_size < 2_000_000
    customers = online_retail.query("select count(*) from customer_segments")[0][0]
    pca = next(s for s in sections if s.id == "pca")
    shown = min(customers, 20_000)
    assert (
        f"all {customers:,} customers" if shown == customers else f"{shown:,} of"
    ) in (pca.reading)
