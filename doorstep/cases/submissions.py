"""One case per intake form, however often it is sent (登记防重复提交).

The intake page carries a random token; `case_create_once` records it in the same transaction
as the case, so a repeat of the same POST finds the first case instead of making another. A
submission that fails validation writes nothing and leaves the token unused."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from doorstep.core.types import Actor

from . import services
from .models import Case, IntakeSubmission


def intake_token_new() -> str:
    return secrets.token_urlsafe(24)


def case_create_once(*, actor: Actor, token: str, data: services.Intake) -> tuple[Case, bool]:
    """The case for this form token and whether this call created it. Nearly every token is
    new, so none is looked up first: the unique token makes a repeat (or its racing twin) roll
    back the case it was making and return the first one."""
    try:
        with transaction.atomic():
            case = services.case_create(actor=actor, data=data)
            IntakeSubmission.objects.create(token=token, user=actor, case=case)
    except IntegrityError:
        earlier = IntakeSubmission.objects.filter(token=token, user=actor)
        found = earlier.select_related("case").first()
        if found is None:  # another user's token: theirs alone
            raise ValidationError(_("这张登记表已失效，请刷新页面后重新填写。")) from None
        return found.case, False
    return case, True
