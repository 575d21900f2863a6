from django.urls import path

from learning import views

urlpatterns = [
    path("p/<slug:slug>/learning-reviews/", views.review_list, name="learning_review_list"),
    path("p/<slug:slug>/learning-reviews/<int:review_id>/", views.review_detail, name="learning_review"),
    path(
        "p/<slug:slug>/learning-reviews/<int:review_id>/steps/<slug:key>/",
        views.step,
        name="learning_review_step",
    ),
]
