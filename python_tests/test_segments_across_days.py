"""A rerun after a day's new data keeps the segments' ids and names."""

from tools.dbt_runner import run_dbt

# today's segments: the history is not this test's subject
BUILD_WITHOUT_TESTS = [
    "build",
    "--resource-type",
    "seed",
    "--resource-type",
    "model",
    "--exclude",
    "tag:history",
]


def profiles(run):
    return run.frame(
        "select segment_id, segment_name, customers from segment_profiles"
        " order by segment_id"
    )


def test_next_day_keeps_ids_and_names(tmp_path):
    workdir = tmp_path / "days"
    # yesterday: the sample without its last day (those lines are future_date)
    yesterday = run_dbt(BUILD_WITHOUT_TESTS, workdir, vars={"as_of_date": "2011-11-30"})
    assert yesterday.returncode == 0, yesterday.output[-3000:]
    before = profiles(yesterday)
    (future_lines,) = yesterday.query(
        "select line_count from transaction_audit where outcome = 'future_date'"
    )[0]
    assert future_lines > 0

    # today: the same database, one more day of lines
    today = run_dbt(BUILD_WITHOUT_TESTS, workdir)
    assert today.returncode == 0, today.output[-3000:]
    after = profiles(today)

    assert after["segment_id"].tolist() == before["segment_id"].tolist()
    assert after["segment_name"].tolist() == before["segment_name"].tolist()
    assert after["customers"].sum() >= before["customers"].sum()
