from django.urls import path

from partnerships import account_views, people_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/sign-in/", views.sign_in, name="login"),
    path("accounts/sign-out/", views.sign_out, name="logout"),
    path("accounts/two-factor/", account_views.second_factor_verify, name="second_factor_verify"),
    path("accounts/two-factor/set-up/", account_views.second_factor_enrol, name="second_factor_enrol"),
    path("accounts/two-factor/recovery-codes/", account_views.recovery_codes, name="recovery_codes"),
    path("accounts/password/", account_views.password_change, name="password_change"),
    path("accounts/password/reset/", account_views.password_reset, name="password_reset"),
    path("accounts/password/reset/sent/", account_views.password_reset_done, name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        account_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        people_views.invitation_accept,
        name="invitation_accept",
    ),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("account/", views.account, name="account"),
    path("switch/", views.switch, name="switch_partnership"),
    path("p/<slug:slug>/", views.partnership_home, name="partnership_home"),
    path("p/<slug:slug>/people/", views.people, name="people"),
    path("p/<slug:slug>/people/add/", people_views.people_add, name="people_add"),
    path(
        "p/<slug:slug>/people/roles/<int:membership_id>/remove/",
        people_views.membership_remove,
        name="membership_remove",
    ),
    path(
        "p/<slug:slug>/people/<int:person_id>/second-factor/reset/",
        account_views.second_factor_reset,
        name="second_factor_reset",
    ),
    path("p/<slug:slug>/closure-days/", views.closure_days, name="closure_days"),
    path("p/<slug:slug>/lists/", views.reference_lists, name="reference_lists"),
]
