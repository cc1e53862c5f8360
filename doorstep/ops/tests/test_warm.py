"""A server worker warms up before its first request (`ops.warm`, called by `doorstep serve`)."""

from django.template import engines

from doorstep.ops.warm import warm_up


def test_warm_up_imports_the_views_compiles_the_templates_and_loads_the_languages() -> None:
    cached = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    cached.reset()
    warmed = warm_up()
    assert warmed.views > 300  # every URL pattern, so every views module was imported
    assert warmed.templates > 100
    assert warmed.languages == 4
    for name in (
        "base.html",
        "cases/desk.html",
        "cases/case_detail.html",
        "dashboard/dashboard.html",
    ):
        assert name in cached.get_template_cache, name
