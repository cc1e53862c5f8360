from django.apps import AppConfig


class BookingsConfig(AppConfig):
    """Facilities and bookings (场地预约): library, rooms, tables, courts, fitness corners."""

    name = "doorstep.bookings"
    verbose_name = "场地预约"
