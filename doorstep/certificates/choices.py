"""Enumerations of 证明 (certificates)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    RESIDENCE = "residence", _("居住证明")
    VOLUNTEER = "volunteer", _("志愿服务证明")
    HARDSHIP = "hardship", _("学生家庭经济困难证明")
