from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """The standing programmes' hub (民生项目): the `/programs/` page, the programme navigation and
    the helpers the five programme apps (fund, certificates, subsidy, assistance, canteen) share.
    It has no models and imports none of the five."""

    name = "doorstep.programmes"
    verbose_name = "民生项目"
