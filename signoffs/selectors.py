"""Reads of sign-off requests that need permission filtering (the home page's tasks)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from partnerships.home import Task
from partnerships.roles import Role
from signoffs.access import signoff_requests_visible_to
from signoffs.models import RequiredRole, RequiredSignatory, RoleSignature, Signature, SignoffRequest, Status


def requests_waiting_for(user: Any, standing: Any) -> QuerySet[SignoffRequest]:
    """Open requests of this partnership that one of the person's partner agencies, or a co-signing
    role they hold (the Independent Scrutineer, 000 §6.10), has still to sign."""
    mine = standing.agencies_with(Role.PARTNER_REP)
    roles = sorted(standing.roles)
    unsigned_required = RequiredSignatory.objects.filter(request=OuterRef("pk"), agency_id__in=mine).exclude(
        Exists(Signature.objects.filter(request=OuterRef("request"), agency=OuterRef("agency")))
    )
    unsigned_role = RequiredRole.objects.filter(request=OuterRef("pk"), role__in=roles).exclude(
        Exists(RoleSignature.objects.filter(request=OuterRef("request"), role=OuterRef("role")))
    )
    return (
        signoff_requests_visible_to(user, standing.partnership)
        .filter(status=Status.OPEN)
        .filter(Exists(unsigned_required) | Exists(unsigned_role))
        .select_related("partnership")
        .order_by("created_at", "id")
    )


def signoff_tasks(user: Any, standing: Any) -> list[Task]:
    """Home-page tasks: one per version waiting for this person's agency or co-signing role."""
    return [
        Task(
            title=f"Sign: {r.title}",
            url=r.get_absolute_url(),
            group="Sign-offs",
            status="To sign",
            status_colour="blue",
            hint=f"Version {r.version}, sent for signature on {timezone.localtime(r.created_at):%-d %B %Y}",
        )
        for r in requests_waiting_for(user, standing)[:50]
    ]
