from django.urls import path

from retention import views

urlpatterns = [
    path("p/<slug:slug>/retention/", views.schedule, name="retention_schedule"),
    path("p/<slug:slug>/retention/reviews/", views.review_list, name="retention_reviews"),
    path("p/<slug:slug>/retention/reviews/<int:item_id>/", views.review_decide, name="retention_review"),
    path("p/<slug:slug>/cases/<int:case_id>/legal-holds/new/", views.hold_place, name="legal_hold_place"),
    path(
        "p/<slug:slug>/cases/<int:case_id>/legal-holds/<int:hold_id>/lift/",
        views.hold_lift,
        name="legal_hold_lift",
    ),
    path(
        "p/<slug:slug>/cases/<int:case_id>/sharing-decisions/new/",
        views.sharing_record,
        name="sharing_decision_record",
    ),
    path("p/<slug:slug>/cases/<int:case_id>/export/", views.case_export, name="case_export"),
]
