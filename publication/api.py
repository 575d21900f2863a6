"""The publication REST API, through the permission door (``core.api.DoorViewSet``).

Routes (every path starts ``/api/partnerships/<slug>/``):

    GET   reports/                    review reports of the cases you may see
    GET   reports/<id>/               one report: versions, approval steps, check, publication
    POST  reports/<id>/approval/      send the latest version for approval (business unit)
    POST  reports/<id>/anonymisation/ run the anonymisation check on the latest version (business unit)
    POST  reports/<id>/decision/      record the publication decision (business unit)
    POST  reports/<id>/publish/       record publication (business unit)
    POST  reports/<id>/legal-comment/ record Legal Services' comment on the version in approval
    POST  reports/<id>/anonymisation-accept/  accept one thing the check found, with the reason
    POST  reports/<id>/copies/        record a pre-publication copy sent (the Panel, the SoS, Ofsted)
    POST  reports/<id>/unpublish/     record the report taken down (business unit)

Errors as in ``core.api``: 404 for what you may not see, 403 with the door's reason, 400 with
messages for bad input (nothing written), 409 when the report's state does not allow the action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import access_record
from core.api import LIST_ERRORS, READ_ERRORS, SLUG, WRITE_ERRORS, DoorViewSet, carry_out, conflict
from documents.models import Document
from publication import access, selectors
from publication.errors import PublicationError
from publication.models import AnonymisationHit, Publication
from publication.services import anonymisation, approval, publishing


class PublicationDecisionSerializer(serializers.Serializer[object]):
    decision = serializers.ChoiceField(choices=Publication.Decision.choices)
    decided_on = serializers.DateField()
    planned_on = serializers.DateField(required=False, allow_null=True)
    justification = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    criminal_proceedings = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PublicationPublishSerializer(serializers.Serializer[object]):
    published_on = serializers.DateField()
    link = serializers.URLField(max_length=500)
    reviewer_name = serializers.CharField(max_length=200)
    override_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    delay_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class LegalCommentSerializer(serializers.Serializer[object]):
    text = serializers.CharField(max_length=5000)


class AcceptSerializer(serializers.Serializer[object]):
    hit = serializers.IntegerField(min_value=1, help_text="The id of one thing the check found.")
    reason = serializers.CharField(max_length=1000, help_text="Why it can stay in the published report.")


def _not_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise serializers.ValidationError("The date must be today or in the past.")


class CopySerializer(serializers.Serializer[object]):
    recipient = serializers.CharField(
        max_length=40, help_text="One of the publication's required recipients."
    )
    sent_on = serializers.DateField(validators=[_not_future])


class UnpublishSerializer(serializers.Serializer[object]):
    on = serializers.DateField(help_text="The date taken down.")
    reason = serializers.CharField(max_length=2000)
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed before the report has been published for the minimum period.",
    )


DETAIL = inline_serializer(
    "ReviewReport",
    {
        "id": serializers.IntegerField(),
        "case": serializers.CharField(),
        "title": serializers.CharField(),
        "kind": serializers.CharField(),
        "versions": serializers.ListField(child=serializers.DictField()),
        "approval": serializers.DictField(allow_null=True),
        "anonymisation": serializers.DictField(allow_null=True),
        "publication": serializers.DictField(allow_null=True),
    },
)


def _detail(document: Document) -> dict[str, Any]:
    page = selectors.report_page(document)
    p = page.publication
    return {
        "id": document.pk,
        "case": document.case.reference,
        "title": document.title,
        "kind": document.kind,
        "versions": [
            {"number": v.number, "sha256": v.sha256, "note": v.note} for v in reversed(page.versions)
        ],
        "approval": None
        if page.approval is None
        else {
            "status": page.approval.status,
            "version": page.approval.version.number,
            "file_intact": page.intact,
            "steps": [
                {
                    "key": s.key,
                    "label": s.label,
                    "status": s.status,
                    "signed": s.signed,
                    "version": s.version_number,
                }
                for s in page.steps
            ],
        },
        "anonymisation": None
        if page.check is None
        else {
            "version": page.check.version.number,
            "hits": page.check.hits.count(),
            "open": page.check.hits.filter(resolution="open").count(),
        },
        "publication": None
        if p is None
        else {
            "decision": p.decision,
            "status": p.status,
            "planned_on": p.planned_on,
            "published_on": p.published_on,
            "link": p.link,
            "reviewer_name": p.reviewer_name,
            "keep_until": p.keep_until,
        },
    }


@extend_schema_view(
    list=extend_schema(
        summary="Review reports you may see", parameters=[SLUG], responses={200: DETAIL, **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One review report", parameters=[SLUG], responses={200: DETAIL, **READ_ERRORS}
    ),
    approval=extend_schema(
        summary="Send the latest version for approval",
        parameters=[SLUG],
        request=None,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
    anonymisation=extend_schema(
        summary="Run the anonymisation check on the latest version",
        parameters=[SLUG],
        request=None,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
    decision=extend_schema(
        summary="Record the publication decision",
        parameters=[SLUG],
        request=PublicationDecisionSerializer,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
    publish=extend_schema(
        summary="Record the report as published",
        parameters=[SLUG],
        request=PublicationPublishSerializer,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
    legal_comment=extend_schema(
        summary="Record Legal Services' comment on the version in approval",
        description="A step waiting for the comment goes on to its signatories. 409 before approval starts.",
        parameters=[SLUG],
        request=LegalCommentSerializer,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
    anonymisation_accept=extend_schema(
        summary="Accept one thing the anonymisation check found, with the reason",
        description="409 once it has been accepted.",
        parameters=[SLUG],
        request=AcceptSerializer,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
    copies=extend_schema(
        summary="Record a pre-publication copy sent",
        description="409 before the publication decision, once publication is no longer being planned, "
        "or for a copy already recorded.",
        parameters=[SLUG],
        request=CopySerializer,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
    unpublish=extend_schema(
        summary="Record the report taken down",
        description="409 unless it is published; before the keep-until date only with an override reason.",
        parameters=[SLUG],
        request=UnpublishSerializer,
        responses={200: DETAIL, **WRITE_ERRORS},
    ),
)
class ReportViewSet(DoorViewSet):
    queryset = Document.objects.select_related("case", "partnership")
    doors = {"view": access.access_document_for_view, "change": access.access_document_for_change}
    door_rights = {
        "retrieve": "view",
        "approval": "change",
        "anonymisation": "change",
        "decision": "change",
        "publish": "change",
        "legal_comment": "change",
        "anonymisation_accept": "change",
        "copies": "change",
        "unpublish": "change",
    }

    def visible_to(self, user: Any, partnership: Any) -> Any:
        return access.documents_visible_to(user, partnership).filter(kind__in=selectors.PUBLISHABLE_KINDS)

    def list(self, request: Request, slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).order_by("id"))
        return self.get_paginated_response([_detail(d) for d in page or []])

    def retrieve(self, request: Request, slug: str, pk: str) -> Response:
        document = self.get_object()
        access_record(
            user=request.user, obj=document, partnership=document.partnership, detail="review report (API)"
        )
        return Response(_detail(document))

    def _run(self, fn: Any) -> Response:
        document = self.get_object()
        return carry_out(
            document, lambda: fn(document), lambda: Response(_detail(document)), refusals=PublicationError
        )

    @action(detail=True, methods=["post"])
    def approval(self, request: Request, slug: str, pk: str) -> Response:
        return self._run(lambda d: approval.approval_start(document=d, by=request.user))

    @action(detail=True, methods=["post"])
    def anonymisation(self, request: Request, slug: str, pk: str) -> Response:
        return self._run(lambda d: anonymisation.anonymisation_run(document=d, by=request.user))

    @action(detail=True, methods=["post"])
    def decision(self, request: Request, slug: str, pk: str) -> Response:
        body = PublicationDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        return self._run(lambda d: publishing.publication_decide(document=d, by=request.user, **data))

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, slug: str, pk: str) -> Response:
        body = PublicationPublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)

        def go(document: Document) -> None:
            publication = Publication.objects.filter(document=document).first()
            if publication is None:
                raise PublicationError("Record the publication decision first.")
            publishing.publish(publication=publication, by=request.user, **data)

        return self._run(go)

    @action(detail=True, methods=["post"], url_path="legal-comment", url_name="legal-comment")
    def legal_comment(self, request: Request, slug: str, pk: str) -> Response:
        body = LegalCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        text = body.validated_data["text"]
        return self._run(lambda d: approval.approval_legal_comment(document=d, by=request.user, text=text))

    @action(detail=True, methods=["post"], url_path="anonymisation-accept", url_name="anonymisation-accept")
    def anonymisation_accept(self, request: Request, slug: str, pk: str) -> Response:
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        hit = AnonymisationHit.objects.filter(
            pk=body.validated_data["hit"], check_run__document=self.get_object()
        ).first()
        if hit is None:
            raise serializers.ValidationError({"hit": ["Choose one of the things the check found."]})
        reason = body.validated_data["reason"]
        return self._run(
            lambda d: anonymisation.anonymisation_accept(hit=hit, by=request.user, reason=reason)
        )

    @action(detail=True, methods=["post"])
    def copies(self, request: Request, slug: str, pk: str) -> Response:
        body = CopySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        publication = Publication.objects.filter(document=self.get_object()).first()
        if publication is None:
            return conflict("Record the publication decision first.")
        recipients = dict(publishing.required_recipients(publication))
        if data["recipient"] not in recipients:
            raise serializers.ValidationError(
                {"recipient": [f"Choose one of: {', '.join(recipients) or '(none needed)'}."]}
            )
        return self._run(
            lambda d: publishing.prepublication_copy_record(publication=publication, by=request.user, **data)
        )

    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, slug: str, pk: str) -> Response:
        body = UnpublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        publication = Publication.objects.filter(document=self.get_object()).first()
        if publication is None or publication.status != Publication.Status.PUBLISHED:
            return conflict("Only a published report can be taken down.")
        return self._run(lambda d: publishing.unpublish(publication=publication, by=request.user, **data))


def register(router: Any) -> None:
    router.register(r"partnerships/(?P<slug>[^/.]+)/reports", ReportViewSet, basename="api-report")
