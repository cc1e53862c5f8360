"""Form widgets and field set-up every area shares."""

from collections.abc import Iterable
from typing import TypeVar

from django import forms
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def date_input() -> forms.DateInput:
    """An `<input type="date">`: the browser reads only ISO dates (2026-12-01), whatever the
    active language's date format, so the value is written that way (a date in another format
    shows as an empty box, and saving the form would send it empty)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choose_from(form: forms.BaseForm, name: str, queryset: QuerySet[M]) -> None:
    """Limit the form's model-choice field `name` to `queryset` (the caller's area): the typed
    form of `form.fields[name].queryset = …`, which `fields` (a dict of plain `Field`) hides."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model-choice field")
    field.queryset = queryset


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[object, str]]) -> None:
    """Give the form's choice field `name` its choices (built per request)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = choices
