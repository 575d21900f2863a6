from django.urls import path

from cspr import views
from cspr.form_pages import PAGES

BASE = "p/<slug:slug>/practice-reviews/<int:review_id>/"

urlpatterns = [
    path(BASE, views.overview, name="practice_review"),
    path(BASE + "chronology/", views.chronology_page, name="pr_chronology"),
    path(BASE + "report/", views.report, name="pr_report"),
    path(BASE + "report/complete/", views.report_complete, name="pr_report_complete"),
    *[path(BASE + page.path, views.form_page(page.name), name=page.name) for page in PAGES],
]
