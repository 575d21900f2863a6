"""``{% rr_letters review page as docs %}``: the documents a step's page produces (004 SCSI-4 on the
rapid review page, SRG-8 on the decision page, Letter-9 on the Panel page), for
``rapidreview/letters/_on_page.html``; and ``{% rr_conference review as call %}`` for the rapid
review page's link to the partners' call."""

from __future__ import annotations

from typing import Any

from django import template

from rapidreview import conference, letters
from rapidreview.access import is_author_at_meeting
from rapidreview.models import PartnersConference, RapidReview

register = template.Library()


def _author(context: Any, review: RapidReview) -> bool:
    request = context.get("request")
    return request is None or is_author_at_meeting(request.user, review)


@register.simple_tag(takes_context=True)
def rr_letters(context: Any, review: RapidReview, page: str) -> list[dict[str, Any]]:
    """Nothing for an agency author at the meeting (the documents hold the deliberation's outcome)."""
    if _author(context, review):
        return []
    return letters.letters_on_page(review, page)


@register.simple_tag(takes_context=True)
def rr_conference(context: Any, review: RapidReview) -> dict[str, Any] | None:
    config = conference.conference_config(review)
    if config is None or _author(context, review):
        return None
    return {
        "label": config["label"],
        "call": PartnersConference.objects.filter(review=review).first(),
        "due": conference.conference_due(review),
    }
