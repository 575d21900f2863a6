from django.urls import path

from audit import views

urlpatterns = [
    path("p/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("p/<slug:slug>/audit/export.csv", views.audit_export, name="audit_export"),
]
