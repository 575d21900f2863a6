from django.urls import path

from documents import views

urlpatterns = [
    path("p/<slug:slug>/files/<int:file_id>/download/", views.download, name="file_download"),
]
