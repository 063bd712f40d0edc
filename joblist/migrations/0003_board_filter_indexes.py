"""Indexes for the board's salary order and remote filter on PostgreSQL (README, "JobLIST: search benchmark").

Measured with 100,000 ads all on the board: "highest salary first" walks the salary index in that
order instead of sorting every ad, and "remote" (a few percent of ads) is found from its index and
combined with the GIN search index instead of reading the whole table. The other filters gained
nothing measurable there (the planner walks `joblist_newest_idx` and stops after a page), so they
have no index. None is partial: the board's `status = 'published'` would imply the condition, and
the planner could then scan such an index whole for any search.

The salary index's expression is the SQL Django writes for joblist.models.yearly_salary_top(); the
planner uses the index only while the two stay the same (a test checks it). Raw SQL, as in 0002: on
SQLite there is nothing to do, and the models' state is unchanged.
"""

from django.db import migrations

YEARLY_SALARY_TOP = (
    "CASE WHEN salary_period = 'hour' THEN COALESCE(salary_max, salary_min) * 2080"
    " WHEN salary_period = 'month' THEN COALESCE(salary_max, salary_min) * 12"
    " ELSE COALESCE(salary_max, salary_min) END"
)
INDEXES = {
    "joblist_workplace_idx": "(workplace)",
    "joblist_salary_idx": f"(({YEARLY_SALARY_TOP}) DESC NULLS LAST)",
}


def create_indexes(apps, schema_editor):
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON joblist_jobposting {columns}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("joblist", "0002_search_index_and_staff")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
