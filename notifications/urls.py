from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_mark_read, name="notification_mark_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("notifications/calendar/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("p/<slug:slug>/outbox/", views.outbox, name="outbox"),
    path("p/<slug:slug>/outbox/resend/", views.outbox_resend, name="outbox_resend"),
]
