from django.urls import path

from reporting import calendar_views, compliance_views, report_views, views

urlpatterns = [
    path("p/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("p/<slug:slug>/dashboard/export.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("p/<slug:slug>/search/", views.search, name="case_search"),
    path("p/<slug:slug>/search/export.<str:fmt>", views.search_export, name="case_search_export"),
    path("p/<slug:slug>/reports/tracker.<str:fmt>", views.tracker_export, name="tracker_export"),
    path("p/<slug:slug>/reports/compliance/", compliance_views.compliance, name="compliance"),
    path("p/<slug:slug>/reports/sin-register/", compliance_views.sin_register, name="sin_register"),
    path("p/<slug:slug>/reports/impact/", report_views.impact, name="impact_report"),
    path("p/<slug:slug>/reports/impact.pdf", report_views.impact_pdf, name="impact_report_pdf"),
    path("p/<slug:slug>/reports/impact.csv", report_views.impact_csv, name="impact_report_csv"),
    path("p/<slug:slug>/daily-email/", report_views.digest_settings, name="digest_settings"),
    path("p/<slug:slug>/calendar/", calendar_views.calendar_month, name="deadline_calendar"),
]
