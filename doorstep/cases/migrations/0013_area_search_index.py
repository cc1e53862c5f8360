"""One GIN index for a text search inside an area (区域内诉求检索; docs/scale.md, eleventh pass).

The search-pair index alone answered `LIKE '% 路灯 %'`, and a street's or community's list then
ANDed it with the area's B-tree: at 14 M the street's half of that read 417 k index entries
(~125 ms) to keep 2,648 rows. `btree_gin` puts the community and street ids into the same GIN
index as the pairs, so one index scan answers the area and the words together. The old
single-column index goes: this one also serves a search with no area (the district's), since a
GIN index is used for any of its columns.

Built CONCURRENTLY (outside a transaction) so that a running site keeps taking cases while a
big table is indexed. SQLite has neither extension and searches with a plain LIKE.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

AREA_INDEX = "case_area_search_trgm"
OLD_INDEX = "case_search_terms_trgm"


def area_index_on(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {AREA_INDEX} ON cases_case "
        "USING gin (community_id, street_id, search_terms gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD_INDEX}")


def area_index_off(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {OLD_INDEX} ON cases_case "
        "USING gin (search_terms gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {AREA_INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0012_search_terms_statistics")]

    operations = [migrations.RunPython(area_index_on, area_index_off)]
