"""我在办 per worker (an index in the panel's order) and the planner told that a case's owner
decides its community and street (docs/scale.md, eleventh pass).

Without the statistics PostgreSQL multiplied the owner's and the street's selectivities and
guessed 19 of a street post's open cases where 1,020 are: it ANDed two indexes and sorted
(15-22 ms at 14 M) instead of reading the first 20 of this index (1 ms). Functional
dependencies are PostgreSQL's; SQLite has no planner statistics to set.

On PostgreSQL the index is built CONCURRENTLY (outside a transaction), so a district upgrading
a full case table keeps taking cases while it is built; SQLite builds it plainly.
"""

import datetime
from typing import Any
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


STATISTICS = "case_owner_area"


def owner_open_due() -> models.Index:
    return models.Index(
        models.F("owner"),
        django.db.models.functions.comparison.Coalesce(
            "due_date", models.Value(datetime.date(9999, 12, 31))
        ),
        models.F("id"),
        condition=models.Q(("status__in", ["received", "in_progress"])),
        name="case_owner_open_due",
    )


def _concurrently(schema_editor: Any) -> dict[str, bool]:
    """Build or drop without blocking writes where the database can (PostgreSQL)."""
    return {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}


def index_on(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("cases", "Case")
    schema_editor.add_index(model, owner_open_due(), **_concurrently(schema_editor))


def index_off(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("cases", "Case")
    schema_editor.remove_index(model, owner_open_due(), **_concurrently(schema_editor))


def statistics_on(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies) "
        "ON owner_id, community_id, street_id FROM cases_case"
    )
    schema_editor.execute("ANALYZE cases_case (owner_id, community_id, street_id)")


def statistics_off(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0013_area_search_index"),
        ("catalog", "0003_a11y_field_translation"),
        ("places", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="case", index=owner_open_due())],
            database_operations=[migrations.RunPython(index_on, index_off)],
        ),
        migrations.RunPython(statistics_on, statistics_off),
    ]
