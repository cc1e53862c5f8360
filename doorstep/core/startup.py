"""Refuse to start without real keys (拒绝使用默认密钥启动): with DEBUG off, a missing key or
the development key from the repository stops `doorstep` and the WSGI app, saying how to make
one."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HOW = (
    "请生成新的密钥并通过环境变量设置，例如：\n"
    "  export {name}=\"$(python -c 'import secrets; print(secrets.token_urlsafe(50))')\"\n"
    "（本地演示请用 make run，它会在 var/ 下生成本地密钥并以 DEBUG=1 运行。）"
)


def require_keys() -> None:
    if settings.DEBUG:
        return
    defaults = {
        "SECRET_KEY": settings.DEV_SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": settings.DEV_FIELD_ENCRYPTION_KEY,
    }
    for name, development in defaults.items():
        value = getattr(settings, name)
        if not value or value == development or len(value) < 32:
            raise ImproperlyConfigured(
                f"DEBUG 未开启，{name} 未设置或仍是仓库中的开发密钥，拒绝启动。\n"
                + HOW.format(name=name)
            )
