from django import template
from django.utils.html import format_html

from doorstep.dashboard.tiles import mean, percent

register = template.Library()

WIDTH, HEIGHT = 120, 28


@register.simple_tag
def sparkline(values: list[int], label: str = "") -> str:
    """An inline SVG line of a series (e.g. daily received), with its numbers as aria text."""
    if not values:
        return ""
    top = max(values) or 1
    step = WIDTH / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{HEIGHT - 2 - (v / top) * (HEIGHT - 4):.1f}" for i, v in enumerate(values)
    )
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}"><polyline fill="none" stroke="currentColor" stroke-width="1.5" '
        'points="{}"/></svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        f"{label} {'、'.join(str(v) for v in values)}",
        points,
    )


@register.filter
def pct(rate: float | None) -> str:
    return percent(rate)


@register.filter
def avg_of(value: float | None, count: int) -> str:
    return mean(value, count)
