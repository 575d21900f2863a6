"""The publication pages: one page per report (its versions, approval chain, anonymisation check,
publication decision, copies, press statement, publication and tasks), the forms that change it
(business unit), the Independent Scrutineer's signature, and the case's media page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import access_record
from documents.models import Document
from partnerships.access import Standing
from partnerships.roles import Role
from publication import access, forms, rules, selectors
from publication.errors import PublicationError
from publication.models import (
    AnonymisationHit,
    MediaLogEntry,
    MediaStrategy,
    NationalReviewLocal,
    Publication,
    PublicationTask,
)
from publication.services import anonymisation, approval, media, publishing
from signoffs.reauth import fresh_reauth


def _url(document: Document, name: str = "publication_report") -> str:
    return reverse(name, args=[document.partnership.slug, document.pk])


def _publication(document: Document) -> Publication | None:
    return Publication.objects.filter(document=document).first()


@login_required
@require_GET
def report(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document, standing = access.access_document_for_view(request.user, slug, document_id)
    access_record(
        user=request.user, obj=document, partnership=document.partnership, detail="publication page"
    )
    page = selectors.report_page(document)
    publication = page.publication
    ctx: dict[str, Any] = {
        "page": page,
        "document": document,
        "case": document.case,
        "standing": standing,
        "is_bu": standing.has(Role.BUSINESS_UNIT),
        "is_scrutineer": standing.has(Role.INDEPENDENT_SCRUTINEER),
        "open_hits": page.check.hits.filter(resolution="open").count() if page.check else None,
        "legal_form": forms.CommentForm(),
    }
    if page.has_chain:
        ctx["channel"] = rules.section(document.case).get("channel", "")
    if page.approval is not None:
        ctx["planning_allowed"] = publishing.planning_allowed(page.approval)
        ctx["needs_legal"] = page.current is not None and page.current.status == "blocked"
    if publication is not None:
        recipients = publishing.required_recipients(publication)
        in_approval = page.approval.version_id if page.approval else None
        sent = {c.recipient: c for c in publication.copies.filter(version_id=in_approval)}
        ctx["copies"] = [{"key": k, "label": label, "copy": sent.get(k)} for k, label in recipients]
        ctx["unsent"] = [(k, label) for k, label in recipients if k not in sent]
        ctx["copy_form"] = forms.CopyForm(recipients=ctx["unsent"])
        on = publication.planned_on or timezone.localdate()
        ctx["copy_deadline"] = rules.copy_deadline(document.case, on) if publication.planned_on else None
        ctx["tasks"] = list(publication.tasks.all())
        ctx["press"] = getattr(publication, "press_statement", None)
    return render(request, "publication/report.html", ctx)


def _valid(form: Any) -> Any:
    """The bound form of a POST action with no page of its own, or its first error as a refusal."""
    if not form.is_valid():
        raise PublicationError(form.error_list()[0][1])
    return form


def _post(
    request: HttpRequest,
    slug: str,
    document_id: int,
    do: Callable[[Document, Any], str],
    door: Callable[[Any, str, int], tuple[Document, Standing]] = access.access_document_for_change,
    back: str = "publication_report",
) -> HttpResponse:
    """A POST action with no page of its own: run it, show its message, go back to the report."""
    document, _standing = door(request.user, slug, document_id)
    try:
        messages.success(request, do(document, request.user))
    except PublicationError as exc:
        messages.error(request, str(exc))
    return redirect(_url(document, back))


@login_required
@require_POST
def start(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    def do(document: Document, user: Any) -> str:
        approval.approval_start(document=document, by=user)
        return "The report has been sent for approval: step 1 is waiting for signatures."

    return _post(request, slug, document_id, do)


@login_required
@require_POST
def legal(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    def do(document: Document, user: Any) -> str:
        approval.approval_legal_comment(document=document, by=user, text=request.POST.get("text", ""))
        return "Legal Services' comment is recorded."

    return _post(request, slug, document_id, do)


@login_required
@require_POST
def scrutineer(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document, _standing = access.access_document_for_scrutiny(request.user, slug, document_id)
    reauth = fresh_reauth(request)
    if reauth is None:
        return redirect(f"{reverse('reauth_confirm')}?{urlencode({'next': _url(document)})}")
    try:
        approval.approval_scrutineer_confirm(document=document, by=request.user, reauth=reauth)
        messages.success(request, "Your signature as Independent Scrutineer is recorded for this version.")
    except PublicationError as exc:
        messages.error(request, str(exc))
    return redirect(_url(document))


@login_required
@require_POST
def share(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    def do(document: Document, user: Any) -> str:
        publishing.share_with_partnership(document=document, by=user)
        return "Sharing with the wider partnership is recorded."

    return _post(request, slug, document_id, do)


def _form_page(
    request: HttpRequest,
    document: Document,
    form: Any,
    heading: str,
    button: str,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "publication/form.html",
        {
            "form": form,
            "document": document,
            "case": document.case,
            "heading": heading,
            "button": button,
            "intro": intro,
            "multipart": multipart,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document, _standing = access.access_document_for_change(request.user, slug, document_id)
    form = forms.VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = approval.approval_new_version(
                document=document,
                by=request.user,
                uploaded=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"Version {new.number} is added.")
            return redirect(_url(document))
        except PublicationError as exc:
            form.add_error(None, str(exc))
    return _form_page(
        request,
        document,
        form,
        "Add a new version of the report",
        "Add version",
        "If the report is going through approval, a new version starts the approval again where the "
        "partnership's procedure says.",
        multipart=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    if request.method == "POST":

        def do(document: Document, user: Any) -> str:
            run = anonymisation.anonymisation_run(document=document, by=user)
            found = run.hits.count()
            return (
                f"Version {run.version.number} checked: {found} to fix or accept."
                if found
                else (f"Version {run.version.number} checked: nothing recorded on the case was found.")
            )

        return _post(request, slug, document_id, do, back="publication_check")
    document, standing = access.access_document_for_view(request.user, slug, document_id)
    page = selectors.report_page(document)
    hits = list(page.check.hits.select_related("resolved_by")) if page.check else []
    return render(
        request,
        "publication/check.html",
        {
            "document": document,
            "case": document.case,
            "page": page,
            "hits": hits,
            "is_bu": standing.has(Role.BUSINESS_UNIT),
            "term_form": forms.TermForm(),
            "practitioners": rules.has_section(document.case) and rules.practitioners_required(document.case),
        },
    )


@login_required
@require_POST
def accept(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    def do(document: Document, user: Any) -> str:
        form = _valid(forms.AcceptForm(request.POST))
        hit = AnonymisationHit.objects.filter(
            pk=form.cleaned_data["hit"], check_run__document=document
        ).first()
        if hit is None:
            raise PublicationError("Choose one of the things found.")
        anonymisation.anonymisation_accept(hit=hit, by=user, reason=form.cleaned_data["reason"])
        return f"Accepted: {hit.label}."

    return _post(request, slug, document_id, do, back="publication_check")


@login_required
@require_POST
def term(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    def do(document: Document, user: Any) -> str:
        form = _valid(forms.TermForm(request.POST))
        anonymisation.extra_term_add(case=document.case, by=user, **form.cleaned_data)
        return "Added. Run the check again to look for it."

    return _post(request, slug, document_id, do, back="publication_check")


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document, _standing = access.access_document_for_change(request.user, slug, document_id)
    existing = _publication(document)
    initial = (
        {"decision": existing.decision, "decided_on": existing.decided_on, "planned_on": existing.planned_on}
        if existing
        else {}
    )
    form = forms.DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publishing.publication_decide(document=document, by=request.user, **form.cleaned_data)
            messages.success(request, "The publication decision is recorded.")
            return redirect(_url(document))
        except PublicationError as exc:
            form.add_error(None, str(exc))
    who = rules.section(document.case).get("decision_by", "") if rules.has_section(document.case) else ""
    return _form_page(
        request, document, form, "Publication decision", "Save decision", f"Decided by: {who}" if who else ""
    )


@login_required
@require_POST
def copy(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    def do(document: Document, user: Any) -> str:
        publication = _publication(document)
        if publication is None:
            raise PublicationError("Record the publication decision first.")
        form = _valid(forms.CopyForm(request.POST, recipients=publishing.required_recipients(publication)))
        made = publishing.prepublication_copy_record(publication=publication, by=user, **form.cleaned_data)
        return f"The copy to {made.label} is recorded."

    return _post(request, slug, document_id, do)


@login_required
@require_http_methods(["GET", "POST"])
def press(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document, _standing = access.access_document_for_change(request.user, slug, document_id)
    publication = _publication(document)
    if publication is None:
        messages.error(request, "Record the publication decision first.")
        return redirect(_url(document))
    statement = getattr(publication, "press_statement", None)
    initial = (
        {k: getattr(statement, k) for k in ("reason_for_review", "key_findings", "required_actions")}
        if statement
        else {}
    )
    form = forms.PressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        publishing.press_statement_record(publication=publication, by=request.user, **form.cleaned_data)
        messages.success(request, "The press statement is produced.")
        return redirect(_url(document))
    by = rules.section(document.case).get("press_statement_by", "")
    return _form_page(
        request,
        document,
        form,
        "Press statement",
        "Produce press statement",
        f"Issued by: {by}" if by else "",
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document, _standing = access.access_document_for_change(request.user, slug, document_id)
    publication = _publication(document)
    if publication is None:
        messages.error(request, "Record the publication decision first.")
        return redirect(_url(document))
    form = forms.PublishForm(request.POST or None, initial={"published_on": publication.planned_on})
    if request.method == "POST" and form.is_valid():
        try:
            publishing.publish(publication=publication, by=request.user, **form.cleaned_data)
            messages.success(request, "The report is recorded as published.")
            return redirect(_url(document))
        except PublicationError as exc:
            form.add_error(None, str(exc))
    return _form_page(request, document, form, "Record publication", "Record as published")


@login_required
@require_http_methods(["GET", "POST"])
def unpublish(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document, _standing = access.access_document_for_change(request.user, slug, document_id)
    publication = _publication(document)
    if publication is None:
        messages.error(request, "The report has not been published.")
        return redirect(_url(document))
    form = forms.UnpublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publishing.unpublish(publication=publication, by=request.user, **form.cleaned_data)
            messages.success(request, "The report is recorded as taken down.")
            return redirect(_url(document))
        except PublicationError as exc:
            form.add_error(None, str(exc))
    keep = (
        f"It must stay published until {publication.keep_until:%-d %B %Y}." if publication.keep_until else ""
    )
    return _form_page(request, document, form, "Take the report down", "Record as taken down", keep)


@login_required
@require_POST
def task(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    def do(document: Document, user: Any) -> str:
        form = _valid(forms.TaskForm(request.POST))
        row = PublicationTask.objects.filter(
            pk=form.cleaned_data["task"], publication__document=document
        ).first()
        if row is None:
            raise PublicationError("Choose one of the tasks listed.")
        publishing.task_done(
            task=row, by=user, on=form.cleaned_data["done_on"], note=form.cleaned_data["note"]
        )
        return f"Done: {row.label}."

    return _post(request, slug, document_id, do)


@login_required
@require_http_methods(["GET", "POST"])
def media_page(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    if request.method == "POST":
        case, standing = access.access_case_media_for_change(request.user, slug, case_id)
    else:
        case, standing = access.access_case_media_for_view(request.user, slug, case_id)
    if not rules.has_section(case):
        messages.error(request, "This partnership's procedure sets no media rules.")
        return redirect(reverse("case_detail", args=[slug, case.pk]))
    kinds = media.kinds(case)
    strategy_form = forms.StrategyForm(
        request.POST if request.POST.get("form") == "strategy" else None, prefix="strategy"
    )
    log_form = forms.MediaLogForm(
        request.POST if request.POST.get("form") == "log" else None, kinds=kinds, prefix="log"
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "strategy" and strategy_form.is_valid():
                media.media_strategy_record(case=case, by=request.user, **strategy_form.cleaned_data)
                messages.success(request, "The media strategy is recorded.")
                return redirect(reverse("publication_media", args=[slug, case.pk]))
            if request.POST.get("form") == "log" and log_form.is_valid():
                entry = media.media_log_add(case=case, by=request.user, **log_form.cleaned_data)
                copied = f" Copied to {', '.join(entry.copied_to)}." if entry.copied_to else ""
                messages.success(request, f"Added to the media log.{copied}")
                return redirect(reverse("publication_media", args=[slug, case.pk]))
        except PublicationError as exc:
            (strategy_form if request.POST.get("form") == "strategy" else log_form).add_error(None, str(exc))
    settings = rules.media(case)
    return render(
        request,
        "publication/media.html",
        {
            "case": case,
            "standing": standing,
            "is_bu": standing.has(Role.BUSINESS_UNIT),
            "strategy": MediaStrategy.objects.filter(case=case).first(),
            "entries": MediaLogEntry.objects.filter(case=case).order_by("-on", "-id"),
            "strategy_form": strategy_form,
            "log_form": log_form,
            "settings": settings,
            "alert_chain": settings.get("alert_chain", ()),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def national_review(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    if request.method == "POST":
        case, standing = access.access_case_media_for_change(request.user, slug, case_id)
    else:
        case, standing = access.access_case_media_for_view(request.user, slug, case_id)
    record = NationalReviewLocal.objects.filter(case=case).first()
    initial = (
        {
            k: getattr(record, k)
            for k in ("scope_agreed_on", "scope_and_engagement", "staff_support", "local_learning")
        }
        if record
        else {}
    )
    form = forms.NationalReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            media.national_review_local_record(case=case, by=request.user, **form.cleaned_data)
            messages.success(request, "The local side of the national review is recorded.")
            return redirect(reverse("publication_national", args=[slug, case.pk]))
        except PublicationError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "publication/national.html",
        {"case": case, "record": record, "form": form, "is_bu": standing.has(Role.BUSINESS_UNIT)},
        status=400 if form.is_bound and form.errors else 200,
    )
