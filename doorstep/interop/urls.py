from django.urls import path, re_path

from . import views

F = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("open311/v2/", views.o311_root, name="open311_root"),
    re_path(r"^open311/v2/discovery" + F, views.o311_discovery, name="open311_discovery"),
    re_path(r"^open311/v2/services" + F, views.o311_services, name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<code>[\w\-.]+?)" + F,
        views.o311_service_definition,
        name="open311_service_definition",
    ),
    re_path(r"^open311/v2/requests" + F, views.o311_requests, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[\w\-]+)" + F,
        views.o311_request_detail,
        name="open311_request",
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[\w\-]+)" + F, views.o311_token, name="open311_token"),
    path("hotline/", views.hotline_home, name="hotline"),
    path("hotline/queue/", views.hotline_queue, name="hotline_queue"),
    path("hotline/<int:pk>/", views.hotline_order, name="hotline_order"),
    path("hotline/<int:pk>/assign/", views.hotline_assign, name="hotline_assign"),
    path("hotline/replies/", views.hotline_replies, name="hotline_replies"),
    path("hotline/replies/export/", views.hotline_replies_export, name="hotline_replies_export"),
    path("hotline/api/orders", views.hotline_api_orders, name="hotline_api_orders"),
    path("hotline/api/replies", views.hotline_api_replies, name="hotline_api_replies"),
    path("hotline/api/replies/ack", views.hotline_api_ack, name="hotline_api_ack"),
    path("wechat/<int:community_id>/", views.wechat_endpoint, name="wechat"),
]
