from django.contrib import admin

from doorstep.core.admin_readonly import ReadOnlyAdmin

from .models import HotlineOrder, Notification, Open311Client, Open311Request, WechatMessage


@admin.register(Open311Client)
class Open311ClientAdmin(ReadOnlyAdmin):
    list_display = ["name", "community", "street", "active", "created_at"]
    exclude = ["api_key_hash"]


@admin.register(Open311Request)
class Open311RequestAdmin(ReadOnlyAdmin):
    list_display = ["case", "client", "created_at"]
    exclude = ["email_encrypted"]
    raw_id_fields = ["case"]


@admin.register(HotlineOrder)
class HotlineOrderAdmin(ReadOnlyAdmin):
    list_display = ["order_no", "street", "community", "status", "deadline", "imported_at"]
    list_filter = ["status"]
    search_fields = ["order_no"]
    exclude = ["caller_phone_encrypted", "raw"]
    raw_id_fields = ["case", "compound", "building"]


@admin.register(WechatMessage)
class WechatMessageAdmin(ReadOnlyAdmin):
    list_display = ["msg_id", "community", "case", "created_at"]
    raw_id_fields = ["case"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["case", "event"]
