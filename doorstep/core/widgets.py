"""Form widgets every area shares."""

from django import forms


def date_input() -> forms.DateInput:
    """An `<input type="date">`: the browser reads only ISO dates (2026-12-01), whatever the
    active language's date format, so the value is written that way (a date in another format
    shows as an empty box, and saving the form would send it empty)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
