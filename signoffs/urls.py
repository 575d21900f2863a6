from django.urls import path

from signoffs import views

urlpatterns = [
    path("p/<slug:slug>/signoffs/", views.signoff_list, name="signoff_list"),
    path("p/<slug:slug>/signoffs/<int:signoff_id>/", views.signoff_detail, name="signoff_detail"),
    path("account/confirm/", views.reauth_confirm, name="reauth_confirm"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
]
