from django.urls import path

from partnerships import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/sign-in/", views.sign_in, name="login"),
    path("accounts/sign-out/", views.sign_out, name="logout"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("account/", views.account, name="account"),
    path("switch/", views.switch, name="switch_partnership"),
    path("p/<slug:slug>/", views.partnership_home, name="partnership_home"),
    path("p/<slug:slug>/people/", views.people, name="people"),
    path("p/<slug:slug>/closure-days/", views.closure_days, name="closure_days"),
    path("p/<slug:slug>/lists/", views.reference_lists, name="reference_lists"),
]
