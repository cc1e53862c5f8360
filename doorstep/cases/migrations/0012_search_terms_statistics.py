"""A finer sample of `search_terms` for PostgreSQL's planner (docs/scale.md, eighth pass).

With the default statistics target the planner's guess for a common pair such as
`LIKE '% 路灯 %'` swung with the sample between 161 and 16,193 rows (12,846 match at 2 M):
guessing 161, the district's list fetched every match from the heap and sorted them (136 ms),
instead of walking its date index until a page is full (55 ms). At 1,000 the guess was 12,113.
SQLite has no planner statistics to set.
"""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TARGET = 1000


def _set(target: int) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE cases_case ALTER COLUMN search_terms SET STATISTICS {target}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_needs_person_area_indexes")]

    operations = [migrations.RunPython(_set(TARGET), _set(-1))]
