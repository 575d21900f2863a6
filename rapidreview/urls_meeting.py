"""URLs of the meeting, decision, sign-off and Panel submission pages (no personal data: the case's
id only)."""

from django.urls import path

from rapidreview import decision_views as d
from rapidreview import letter_views as lv
from rapidreview import meeting_views as v

P = "p/<slug:slug>/cases/<int:case_id>/rapid-review/"

urlpatterns = [
    path(P + "meeting/", v.meeting, name="rr_meeting"),
    path(P + "meeting/schedule/", v.meeting_schedule, name="rr_meeting_schedule"),
    path(P + "meeting/invitations/", v.meeting_invite, name="rr_meeting_invite"),
    path(P + "meeting/attendance/", v.meeting_attendance, name="rr_meeting_attendance"),
    path(P + "meeting/attendance/add/", v.meeting_attendee_add, name="rr_meeting_attendee_add"),
    path(P + "meeting/votes/", v.meeting_votes, name="rr_meeting_votes"),
    path(P + "meeting/held/", v.meeting_held, name="rr_meeting_held"),
    path(P + "meeting/record/", v.meeting_record, name="rr_meeting_record"),
    path(P + "meeting/record/edit/", v.meeting_record_edit, name="rr_meeting_record_edit"),
    path(P + "decision/", d.decision, name="rr_decision"),
    path(P + "decision/edit/", d.decision_edit, name="rr_decision_edit"),
    path(P + "decision/sign-off/", d.decision_signoff, name="rr_decision_signoff"),
    path(P + "panel/", d.panel, name="rr_panel"),
    path(P + "panel/submit/", d.panel_submit, name="rr_panel_submit"),
    path(P + "panel/response/", d.panel_response, name="rr_panel_response"),
    path(P + "panel/rapid-review-required/", d.panel_rr_required, name="rr_panel_rr_required"),
    path(P + "outcome/", d.local_outcome, name="rr_local_outcome"),
    path(P + "partners-call/", lv.conference, name="rr_conference"),
    path(P + "documents/<slug:key>/", lv.letter, name="rr_letter"),
]
