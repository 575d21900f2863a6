"""Notification pages: a person's own notifications, preferences and calendar feed; the
business unit's outbox with resend; the secret calendar feed itself."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import access_record
from notifications import digest, feeds
from notifications import outbox as outbox_services
from notifications.access import access_outbox_for_change, access_outbox_for_view
from notifications.calendar import render_calendar
from notifications.forms import OutboxFilterForm, PreferenceForm
from notifications.models import CalendarFeed, NotificationPreference, Status
from notifications.selectors import (
    notification_rows,
    notifications_for_user,
    outbox_failed_count,
    outbox_for_partnership,
)
from partnerships.models import User

FEED_SESSION_KEY = "notifications.new_feed_token"


def _signed_in(request: HttpRequest) -> User:
    """The person behind a ``login_required`` view."""
    return cast(User, request.user)


def _page_number(request: HttpRequest) -> str:
    raw = request.GET.get("page", "1")
    return raw if raw.isdigit() else "1"


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_rows(request.user), 25).get_page(_page_number(request))
    items = notifications_for_user(request.user, list(page.object_list))
    return render(request, "notifications/list.html", {"page": page, "items": items})


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    target = reverse("notification_list")
    page = request.POST.get("page", "")
    if page.isdigit():
        target += f"?page={page}"
    if request.POST.get("all") == "1":
        n = outbox_services.notifications_mark_read(user=_signed_in(request))
        messages.success(request, f"{n} notification{'s' if n != 1 else ''} marked as read.")
        return redirect(target)
    raw = request.POST.get("id", "")
    if not raw.isdigit():
        messages.error(request, "Choose a notification to mark as read.")
        return redirect(target)
    if outbox_services.notifications_mark_read(user=_signed_in(request), ids=[int(raw)]):
        messages.success(request, "Notification marked as read.")
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    pref = NotificationPreference.objects.filter(user=_signed_in(request)).first()
    initial = {"frequency": pref.frequency if pref else NotificationPreference.Frequency.IMMEDIATE}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        digest.preference_set(user=_signed_in(request), frequency=form.cleaned_data["frequency"])
        messages.success(request, "Your notification settings have been saved.")
        return redirect("notification_settings")
    return render(request, "notifications/settings.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "create":
            token = feeds.calendar_feed_create(user=_signed_in(request))
            request.session[FEED_SESSION_KEY] = token
            messages.success(request, "Your calendar link is ready. Copy it now: it will not be shown again.")
        elif action == "revoke":
            if feeds.calendar_feed_revoke(user=_signed_in(request)):
                messages.success(
                    request, "Your calendar link has been stopped. Calendars using it will no longer update."
                )
        else:
            messages.error(request, "Choose whether to create or stop your calendar link.")
        return redirect("calendar_feed_settings")
    token = request.session.pop(FEED_SESSION_KEY, None)
    feed_url = settings.SITE_URL.rstrip("/") + reverse("calendar_feed", args=[token]) if token else ""
    feed = CalendarFeed.objects.filter(user=_signed_in(request), revoked_at=None).first()
    return render(request, "notifications/calendar.html", {"feed": feed, "feed_url": feed_url})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = feeds.calendar_feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    access_record(user=feed.user, kind="download", detail="Personal calendar feed")
    response = HttpResponse(render_calendar(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="safeguarding-deadlines.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def outbox(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_outbox_for_view(request.user, slug)
    form = OutboxFilterForm(request.GET or None)
    filters = {"status": "", "kind": "", "reference": ""}
    if form.is_bound and form.is_valid():
        filters.update({k: v or "" for k, v in form.cleaned_data.items()})
    qs = outbox_for_partnership(standing.partnership, **filters)
    page = Paginator(qs, 50).get_page(_page_number(request))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "notifications/outbox.html",
        {
            "standing": standing,
            "form": form,
            "page": page,
            "failed_count": outbox_failed_count(standing.partnership),
            "query": query,
            "resendable": {Status.SENT, Status.IN_DIGEST, Status.FAILED},
            "max_attempts": outbox_services.max_attempts(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def outbox_resend(request: HttpRequest, slug: str) -> HttpResponse:
    standing = access_outbox_for_change(request.user, slug)
    target = reverse("outbox", args=[standing.partnership.slug])
    raw = request.POST.get("message", "")
    if not raw.isdigit():
        messages.error(request, "Choose a message to send again.")
        return redirect(target)
    try:
        row = outbox_services.outbox_resend(
            partnership=standing.partnership, message_id=int(raw), by=_signed_in(request)
        )
    except outbox_services.NotificationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Message {row.pk} will be sent again within a minute.")
    back = request.POST.get("back", "")
    if back.startswith(target):
        return redirect(back)
    return redirect(target)
