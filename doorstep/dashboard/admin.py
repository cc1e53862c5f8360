from django.contrib import admin

from .models import ScorecardWeights


@admin.register(ScorecardWeights)
class ScorecardWeightsAdmin(admin.ModelAdmin):
    """Plain settings (no lifecycle): the district sets each street's weights here."""

    list_display = ("street", "on_time", "on_spot", "attitude", "capability", "no_reopen")
