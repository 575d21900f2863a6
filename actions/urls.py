from django.urls import path

from actions import report_views, views

P = "p/<slug:slug>/action-plans/"
A = "p/<slug:slug>/actions/<int:action_id>/"

urlpatterns = [
    path(P, views.plan_list, name="action_plan_list"),
    path("p/<slug:slug>/cases/<int:case_id>/action-plans/new/", views.plan_new, name="action_plan_new"),
    path(P + "exceptions/", report_views.exception_report, name="action_exceptions"),
    path(P + "exceptions.pdf", report_views.exception_report_pdf, name="action_exceptions_pdf"),
    path(P + "exceptions.csv", report_views.exception_report_csv, name="action_exceptions_csv"),
    path(P + "annual-report/", report_views.annual, name="action_annual_report"),
    path(P + "annual-report.pdf", report_views.annual_pdf, name="action_annual_report_pdf"),
    path(P + "annual-report.csv", report_views.annual_csv, name="action_annual_report_csv"),
    path(P + "<int:plan_id>/", views.plan_detail, name="action_plan"),
    path(P + "<int:plan_id>/actions/new/", views.plan_action_add, name="action_plan_action_add"),
    path(P + "<int:plan_id>/endorse/", views.plan_endorse, name="action_plan_endorse"),
    path(P + "<int:plan_id>/activate/", views.plan_activate, name="action_plan_activate"),
    path(P + "<int:plan_id>/sign-off/", views.plan_approve, name="action_plan_approve"),
    path(P + "<int:plan_id>/impact-review/", views.plan_impact, name="action_plan_impact"),
    path(P + "<int:plan_id>/close/", views.plan_close, name="action_plan_close"),
    path(A, views.action_detail, name="action_detail"),
    path(A + "edit/", views.action_edit, name="action_edit"),
    path(A + "progress/", views.action_progress, name="action_progress"),
    path(A + "complete/", views.action_complete, name="action_complete"),
    path(A + "approve/", views.action_approve, name="action_approve"),
    path(A + "not-implemented/", views.action_not_implemented, name="action_not_implemented"),
    path(A + "extension/", views.action_extension, name="action_extension"),
    path(A + "extension/decide/", views.action_extension_decide, name="action_extension_decide"),
    path(A + "escalation/", views.action_escalation, name="action_escalation"),
]
