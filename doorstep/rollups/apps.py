from django.apps import AppConfig


class RollupsConfig(AppConfig):
    """Rollups (汇总): the read model every summary page reads instead of the case table."""

    name = "doorstep.rollups"
    verbose_name = "汇总统计"

    def ready(self) -> None:
        from doorstep.cases import hooks

        from .desk import desk_counts
        from .services import rollup_case_changed, rollup_track

        if rollup_track not in hooks.on_lock:
            hooks.on_lock.append(rollup_track)
            hooks.on_change.append(rollup_case_changed)
            hooks.desk_counts.append(desk_counts)
