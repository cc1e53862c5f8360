from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    """The workforce: qualifications, training, leave and A/B cover, departments on site,
    stationed street staff, and the utility-fee counter."""

    name = "doorstep.workforce"
    verbose_name = "队伍建设"

    def ready(self) -> None:
        from doorstep.core import staffing

        from . import cover

        staffing.register(
            away=cover.away_ids, stand_in=cover.standing_in_for, stationed=cover.stationed_handler
        )
