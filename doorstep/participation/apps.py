from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    """Residents take part (居民参与): projects through the three meetings (三会) and the ten
    practical things a year (为民服务十件实事)."""

    name = "doorstep.participation"
    verbose_name = "居民参与"
