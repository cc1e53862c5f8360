from django.apps import AppConfig


class PlacesConfig(AppConfig):
    """Places and people: district → street → community → grid → compound → building →
    household → resident."""

    name = "doorstep.places"
    verbose_name = "地区与人员"
