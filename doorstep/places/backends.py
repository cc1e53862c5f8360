"""Signing in (登录后端): Django's model backend, reading the staff post with the account.

Every staff page asks for the signed-in worker's post and community (the access policy, the
menu, the header); Django's `get_user` reads the account alone, so each request paid two more
queries for them. `StaffBackend.get_user` reads account, post, community and street in one
join; a resident or plain account simply has no post."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

# The joins every staff request needs: the post, its community and that community's street.
STAFF_JOINS = ("staff__community__street",)


class StaffBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        try:
            user = User.objects.select_related(*STAFF_JOINS).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
