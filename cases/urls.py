from django.urls import path

from cases import views

urlpatterns = [
    path("p/<slug:slug>/cases/", views.case_list, name="case_list"),
    path("p/<slug:slug>/cases/<int:case_id>/", views.case_detail, name="case_detail"),
]
