"""Domain events (领域事件): a lower layer through which an app announces what happened without
knowing who listens. `cases` publishes each timeline event; `interop` subscribes and records the
resident's notices.

Handlers run at once, inside the publisher's transaction: what a handler writes commits or rolls
back together with the change that caused it (transactional outbox, 事务性发件箱). A handler
should therefore be cheap (an INSERT, no network) and leave delivery to a worker.
"""

from collections import defaultdict
from collections.abc import Callable

Handler = Callable[..., None]

_handlers: defaultdict[str, list[Handler]] = defaultdict(list)


def subscribe(topic: str, handler: Handler) -> None:
    """Call `handler(**payload)` for every `publish(topic, **payload)`; subscribing twice is a
    no-op (AppConfig.ready may run more than once)."""
    if handler not in _handlers[topic]:
        _handlers[topic].append(handler)


def publish(topic: str, **payload: object) -> None:
    for handler in _handlers.get(topic, ()):
        handler(**payload)
