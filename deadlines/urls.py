from django.urls import path

from deadlines import views

urlpatterns = [
    path("p/<slug:slug>/deadlines/", views.deadline_list, name="deadline_list"),
    path("p/<slug:slug>/cases/<int:case_id>/dates/", views.record_date, name="case_record_date"),
    path("p/<slug:slug>/cases/<int:case_id>/procedure/", views.reapply_profile, name="case_reapply_profile"),
    path(
        "p/<slug:slug>/cases/<int:case_id>/deadlines/<int:deadline_id>/pause/",
        views.pause,
        name="deadline_pause",
    ),
    path(
        "p/<slug:slug>/cases/<int:case_id>/deadlines/<int:deadline_id>/resume/",
        views.resume,
        name="deadline_resume",
    ),
    path(
        "p/<slug:slug>/cases/<int:case_id>/deadlines/<int:deadline_id>/waive/",
        views.waive,
        name="deadline_waive",
    ),
    path(
        "p/<slug:slug>/cases/<int:case_id>/deadlines/<int:deadline_id>/done/",
        views.mark_done,
        name="deadline_done",
    ),
]
