"""On PostgreSQL, a second guard behind the facility row lock: no two holding bookings of one
facility overlap (btree_gist exclusion constraint). On SQLite both steps do nothing."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

HOLDING = "('pending', 'confirmed', 'checked_in')"


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist "
        "(facility_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        f"WHERE (status IN {HOLDING})"
    )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap")


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
