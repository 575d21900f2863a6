from django.urls import path

from publication import views

R = "p/<slug:slug>/reports/<int:document_id>/"

urlpatterns = [
    path(R, views.report, name="publication_report"),
    path(R + "approval/start/", views.start, name="publication_start"),
    path(R + "approval/legal-services/", views.legal, name="publication_legal"),
    path(R + "approval/scrutineer/", views.scrutineer, name="publication_scrutineer"),
    path(R + "versions/new/", views.version, name="publication_version"),
    path(R + "anonymisation/", views.check, name="publication_check"),
    path(R + "anonymisation/accept/", views.accept, name="publication_accept"),
    path(R + "anonymisation/terms/", views.term, name="publication_term"),
    path(R + "decision/", views.decision, name="publication_decision"),
    path(R + "copies/", views.copy, name="publication_copy"),
    path(R + "press-statement/", views.press, name="publication_press"),
    path(R + "publish/", views.publish, name="publication_publish"),
    path(R + "unpublish/", views.unpublish, name="publication_unpublish"),
    path(R + "tasks/", views.task, name="publication_task"),
    path(R + "share/", views.share, name="publication_share"),
    path("p/<slug:slug>/cases/<int:case_id>/media/", views.media_page, name="publication_media"),
    path(
        "p/<slug:slug>/cases/<int:case_id>/national-review/",
        views.national_review,
        name="publication_national",
    ),
]
