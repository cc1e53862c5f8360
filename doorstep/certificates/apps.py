from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """证明 (certificates) — one of the standing programmes (民生项目)."""

    name = "doorstep.certificates"
    verbose_name = "证明"
