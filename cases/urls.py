from django.urls import path

from cases import decision_views as d
from cases import referral_views as r
from cases import views

urlpatterns = [
    path("p/<slug:slug>/cases/", views.case_list, name="case_list"),
    path("p/<slug:slug>/cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path(
        "p/<slug:slug>/cases/<int:case_id>/inform-partners/", d.inform_partners, name="case_inform_partners"
    ),
    path("p/<slug:slug>/cases/<int:case_id>/partner-view/", d.partner_view, name="case_partner_view"),
    path("p/<slug:slug>/cases/<int:case_id>/decision/", d.decision, name="case_decision"),
    path(
        "p/<slug:slug>/cases/<int:case_id>/panel-notification/",
        d.panel_notification,
        name="case_panel_notification",
    ),
    path("p/<slug:slug>/cases/<int:case_id>/panel-summary/", d.panel_summary, name="case_panel_summary"),
    path("p/<slug:slug>/cases/<int:case_id>/feedback/", d.feedback, name="case_feedback"),
    path("p/<slug:slug>/cases/<int:case_id>/learning/", d.learning, name="case_learning"),
    path(
        "p/<slug:slug>/cases/<int:case_id>/learning/approval/",
        d.learning_approval,
        name="case_learning_approval",
    ),
    path("p/<slug:slug>/referrals/", r.referral_list, name="referral_list"),
    path("p/<slug:slug>/referrals/start/", r.referral_start, name="referral_start"),
    path("p/<slug:slug>/referrals/<int:referral_id>/", r.referral_view, name="referral_view"),
    path(
        "p/<slug:slug>/referrals/<int:referral_id>/sections/<slug:section_key>/",
        r.referral_section,
        name="referral_section",
    ),
    path(
        "p/<slug:slug>/referrals/<int:referral_id>/sections/<slug:section_key>/autosave/",
        r.referral_autosave,
        name="referral_autosave",
    ),
    path("p/<slug:slug>/referrals/<int:referral_id>/check/", r.referral_check, name="referral_check"),
    path(
        "p/<slug:slug>/referrals/<int:referral_id>/authorise/",
        r.referral_authorise,
        name="referral_authorise",
    ),
    path(
        "p/<slug:slug>/referrals/<int:referral_id>/acknowledge/",
        r.referral_acknowledge,
        name="referral_acknowledge",
    ),
    path(
        "p/<slug:slug>/referrals/<int:referral_id>/withdraw/", r.referral_withdraw, name="referral_withdraw"
    ),
    path("p/<slug:slug>/referrals/<int:referral_id>/referral.pdf", r.referral_pdf, name="referral_pdf"),
]
