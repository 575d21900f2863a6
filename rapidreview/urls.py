from django.urls import include, path

from rapidreview import outside_views, views

urlpatterns = [
    path("p/<slug:slug>/cases/<int:case_id>/rapid-review/", views.overview, name="rapid_review"),
    path("p/<slug:slug>/cases/<int:case_id>/rapid-review/start/", views.start, name="rapid_review_start"),
    path(
        "p/<slug:slug>/cases/<int:case_id>/rapid-review/requests/new/",
        views.requests_new,
        name="requests_new",
    ),
    path("p/<slug:slug>/cases/<int:case_id>/rapid-review/pack/", views.pack, name="rapid_review_pack"),
    path(
        "p/<slug:slug>/cases/<int:case_id>/rapid-review/pack.pdf",
        views.pack_download,
        name="rapid_review_pack_pdf",
    ),
    path("p/<slug:slug>/requests/", views.request_list, name="request_list"),
    path("p/<slug:slug>/requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path(
        "p/<slug:slug>/requests/<int:request_id>/sections/<slug:section_key>/",
        views.request_section,
        name="request_section",
    ),
    path(
        "p/<slug:slug>/requests/<int:request_id>/sections/<slug:section_key>/autosave/",
        views.request_autosave,
        name="request_autosave",
    ),
    path("p/<slug:slug>/requests/<int:request_id>/submit/", views.request_submit, name="request_submit"),
    path(
        "p/<slug:slug>/requests/<int:request_id>/authorise/",
        views.request_authorise,
        name="request_authorise",
    ),
    path(
        "p/<slug:slug>/requests/<int:request_id>/send-back/",
        views.request_send_back,
        name="request_send_back",
    ),
    path(
        "p/<slug:slug>/requests/<int:request_id>/record-received/",
        outside_views.request_record_received,
        name="request_record_received",
    ),
    path(
        "p/<slug:slug>/requests/<int:request_id>/withdraw/",
        outside_views.request_withdraw,
        name="request_withdraw",
    ),
    path("p/<slug:slug>/cases/<int:case_id>/rapid-review/papers/", outside_views.papers, name="rr_papers"),
    path("", include("rapidreview.urls_meeting")),
]
