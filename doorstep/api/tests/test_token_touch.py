"""A busy API client does not write its token row on every request."""

from datetime import timedelta

from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from doorstep.api.models import ApiToken
from doorstep.api.services import api_token_create, token_authenticate
from doorstep.conftest import World


def test_token_last_used_is_written_at_most_once_a_minute(world: World) -> None:
    token, key = api_token_create(world.desk_a, "测试")
    assert token_authenticate(key) == world.desk_a
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    assert token_authenticate(key) == world.desk_a
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first


def test_token_last_used_moves_on_after_a_minute(world: World) -> None:
    token, key = api_token_create(world.desk_a, "测试")
    earlier = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    token_authenticate(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > earlier  # type: ignore[operator]


def test_a_known_token_costs_one_query_within_the_minute(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _token, key = api_token_create(world.desk_a, "测试")
    token_authenticate(key)
    with django_assert_num_queries(1):
        token_authenticate(key)
