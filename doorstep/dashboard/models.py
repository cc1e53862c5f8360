"""The weights a street gives each part of a worker's annual scorecard (考评权重)."""

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.places.models import Street

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# Used when a street has set no weights of its own.
DEFAULT_WEIGHTS = {
    "on_time": 30,
    "on_spot": 15,
    "attitude": 20,
    "capability": 20,
    "no_reopen": 15,
}


def _weight(label: "_StrPromise", default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )


class ScorecardWeights(models.Model):
    """Per-street weights (numbers only, no formula): the score is Σ weight × part, each part
    between 0 and 1, divided by the sum of the weights, times 100."""

    street = models.OneToOneField(Street, on_delete=models.CASCADE, related_name="+")
    on_time = _weight(_("按期办结率权重"), DEFAULT_WEIGHTS["on_time"])
    on_spot = _weight(_("即办率权重"), DEFAULT_WEIGHTS["on_spot"])
    attitude = _weight(_("服务态度权重"), DEFAULT_WEIGHTS["attitude"])
    capability = _weight(_("服务能力权重"), DEFAULT_WEIGHTS["capability"])
    no_reopen = _weight(_("未重办率权重"), DEFAULT_WEIGHTS["no_reopen"])

    class Meta:
        verbose_name = _("考评权重")
        verbose_name_plural = _("考评权重")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(on_time__gt=0)
                | models.Q(on_spot__gt=0)
                | models.Q(attitude__gt=0)
                | models.Q(capability__gt=0)
                | models.Q(no_reopen__gt=0),
                name="scorecard_weights_not_all_zero",
            )
        ]

    def __str__(self) -> str:
        return str(self.street)

    def as_dict(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in DEFAULT_WEIGHTS}
