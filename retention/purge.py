"""Delete one record and everything under it, all or nothing (issue 16, privacy by design).

Generic on purpose, like the whole-case export: from the root it follows every relation that points
*at* what it has found (a stage's records point at the case; a version points at its document), so
a stage app added later is included without a change here. A relation declared ``SET_NULL`` (or
``SET_DEFAULT``) is not followed: those rows stay and lose the link, as Django would do. Many of the
relations to a case are ``PROTECT`` so that nothing deletes a case by accident; Django's Collector
refuses those, so this module deletes the rows itself, by primary key, inside one transaction, and
asks the database to check every foreign key before the transaction ends (PostgreSQL defers them to
commit): a row anywhere still pointing at a deleted one makes the whole deletion fail and roll back.

Sign-off requests name their record by type and id rather than by a foreign key, so the plan adds
those about any record in it (and, through the walk, their signatures and signatories). Signed rows
are immutable by database trigger; the purge is their one exception (docs/adr/0010): ``execute``
sets the transaction-local ``app.retention_purge`` to the id of the AuditEvent announcing this
deletion, written in the same transaction, and the triggers then let a DELETE (never an UPDATE)
through until the setting is cleared at the end of the deletion.

Refused before anything is deleted (``PurgeRefused``): a plan that reaches another case, a person,
an agency, a partnership or the audit trail (the audit tables are append-only and hash-chained:
nothing here touches them). Files on disk are removed only after the transaction commits, so a
rollback never leaves a record without its file."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.db.models import ForeignObjectRel, Q

from audit.models import AppendOnlyModel
from signoffs.models import SignoffRequest

log = logging.getLogger("retention.purge")

# Never part of what a case "holds": reaching one of these means a relation was followed the wrong way.
_NEVER = {"cases.case", "partnerships.partnership", "partnerships.agency", "partnerships.user"}

# A sign-off request's ``record_type`` is the model's label, except where its stage chose another name
# for what is signed (the record id is then that model's primary key).
SIGNOFF_RECORD_MODELS = {"publication.report": "documents.document", "learning.step": "learning.learningstep"}

# The transaction-local setting the signoffs and rapidreview triggers read (signoffs migration 0003).
PURGE_SETTING = "app.retention_purge"


class PurgeRefused(Exception):
    """The deletion is refused (the message says why, in words for the business unit)."""


@dataclass
class Plan:
    root: models.Model
    rows: dict[type[models.Model], set[Any]] = field(default_factory=lambda: defaultdict(set))
    unlink: list[tuple[type[models.Model], str, Any, set[Any]]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            m._meta.label_lower: len(pks)
            for m, pks in sorted(self.rows.items(), key=lambda i: i[0]._meta.label_lower)
        }

    def contains(self, model: type[models.Model] | None, pk: Any) -> bool:
        return model is not None and pk in self.rows.get(model, set())


def _reverse_relations(model: type[models.Model]) -> list[ForeignObjectRel]:
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if isinstance(rel, ForeignObjectRel) and (rel.one_to_many or rel.one_to_one)
    ]


def _unlinks(on_delete: Any) -> bool:
    return (
        on_delete in (models.SET_NULL, models.SET_DEFAULT)
        or getattr(on_delete, "__name__", "") == "set_on_delete"
    )


def _walk(result: Plan, queue: list[tuple[type[models.Model], set[Any]]]) -> None:
    while queue:
        model, pks = queue.pop()
        for rel in _reverse_relations(model):
            related: Any = rel.related_model
            fk = rel.field
            target = fk.target_field.attname if hasattr(fk, "target_field") else "pk"
            values = (
                pks
                if target == model._meta.pk.attname
                else set(model._base_manager.filter(pk__in=pks).values_list(target, flat=True))
            )
            found = set(
                related._base_manager.filter(**{f"{fk.name}__in": values}).values_list("pk", flat=True)
            )
            if not found:
                continue
            if _unlinks(rel.on_delete):
                result.unlink.append(
                    (
                        related,
                        fk.name,
                        fk.get_default() if rel.on_delete is models.SET_DEFAULT else None,
                        found,
                    )
                )
                continue
            _add(result, queue, related._meta.concrete_model, found)


def _add(
    result: Plan, queue: list[tuple[type[models.Model], set[Any]]], concrete: Any, found: set[Any]
) -> None:
    new = found - result.rows[concrete]
    if not new:
        return
    label = concrete._meta.label_lower
    if label in _NEVER or issubclass(concrete, AppendOnlyModel):
        raise PurgeRefused(
            f"Deleting this would also reach records it does not own ({concrete._meta.verbose_name_plural}). "
            "Nothing was deleted."
        )
    result.rows[concrete] |= new
    queue.append((concrete, new))


def _signoffs_about(result: Plan) -> set[Any]:
    """Sign-off requests about a record of the plan, or that a record of the plan points at."""
    about = Q(pk__in=[])
    aliases: dict[str, list[str]] = defaultdict(list)
    for record_type, label in SIGNOFF_RECORD_MODELS.items():
        aliases[label].append(record_type)
    pointed_at: set[Any] = set()
    for model, pks in result.rows.items():
        label = model._meta.label_lower
        ids = [str(pk) for pk in pks]
        for record_type in [label, *aliases[label]]:
            about |= Q(record_type=record_type, record_id__in=ids)
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is SignoffRequest:
                pointed_at |= set(
                    model._base_manager.filter(pk__in=pks, **{f"{f.attname}__isnull": False}).values_list(
                        f.attname, flat=True
                    )
                )
    return set(SignoffRequest.objects.filter(about | Q(pk__in=pointed_at)).values_list("pk", flat=True))


def plan(root: models.Model) -> Plan:
    """Every row under ``root`` (``root`` included), model by model, with the sign-off requests about
    them, and the rows outside that only lose a link to it."""
    result = Plan(root=root)
    root_model = type(root)._meta.concrete_model
    assert root_model is not None
    result.rows[root_model].add(root.pk)
    queue: list[tuple[type[models.Model], set[Any]]] = [(root_model, {root.pk})]
    while queue:
        _walk(result, queue)
        _add(result, queue, SignoffRequest, _signoffs_about(result))
    _check_ownership(result)
    # The unlinks of rows that are themselves being deleted are moot.
    result.unlink = [
        (m, f, v, {pk for pk in pks if not result.contains(m._meta.concrete_model, pk)})
        for m, f, v, pks in result.unlink
    ]
    result.unlink = [u for u in result.unlink if u[3]]
    return result


def _check_ownership(p: Plan) -> None:
    """Every row found must belong to the root's partnership and (where it names a case) to the root
    case: a row of another case that points into this one (say, a recommendation citing this case's
    report) stops the deletion rather than going with it."""
    root_case = p.root.pk if p.root._meta.label_lower == "cases.case" else getattr(p.root, "case_id", None)
    partnership = (
        p.root.pk
        if p.root._meta.label_lower == "partnerships.partnership"
        else getattr(p.root, "partnership_id", None)
    )
    for model, pks in p.rows.items():
        names = {f.name for f in model._meta.concrete_fields if f.is_relation}
        rows = model._base_manager.filter(pk__in=pks)
        if (
            "case" in names
            and root_case is not None
            and rows.exclude(case__isnull=True).exclude(case=root_case).exists()
        ):
            raise PurgeRefused(
                f"Records of another case point to this one ({model._meta.verbose_name_plural}). Nothing was deleted."
            )
        if (
            "partnership" in names
            and partnership is not None
            and rows.exclude(partnership=partnership).exists()
        ):
            raise PurgeRefused(
                f"Records of another partnership point to this one ({model._meta.verbose_name_plural}). "
                "Nothing was deleted."
            )


def _files(p: Plan) -> list[tuple[Any, str]]:
    """(storage, name) of every file a row in the plan holds."""
    found: list[tuple[Any, str]] = []
    for model, pks in p.rows.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        for row in model._base_manager.filter(pk__in=pks).only("pk", *[f.attname for f in file_fields]):
            for f in file_fields:
                stored = getattr(row, f.name)
                if stored:
                    found.append((stored.storage, stored.name))
    return found


def _remove_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # The stored name is random (documents.models._blob_path): no personal data in the log.
            log.error("retention: could not remove a deleted record's file %s", name)


def _authorise(event_id: int | str) -> None:
    """Let the signoffs and rapidreview triggers pass this transaction's DELETEs of signed rows (see
    the module docstring); ``""`` withdraws it. PostgreSQL only: SQLite has no such triggers (its
    ORM guards refuse a delete, and the purge deletes below the ORM)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, str(event_id)])


def execute(p: Plan, *, announced_by: Any) -> int:
    """Delete every row of the plan (unlinking the rows outside it first) in one transaction, check
    every foreign key before it ends, and remove the files after it commits. ``announced_by`` is the
    AuditEvent announcing this deletion, written in the same transaction: only with it may signed
    rows go. Returns the number of files. Raises ``PurgeRefused`` (and deletes nothing) if the
    database refuses any part of it."""
    if not transaction.get_connection().in_atomic_block:
        raise PurgeRefused("A deletion runs only inside the transaction that announced it.")
    files = _files(p)
    try:
        with transaction.atomic():
            _authorise(announced_by.pk)
            for model, field_name, value, pks in p.unlink:
                model._base_manager.filter(pk__in=pks).update(**{field_name: value})
            for model, pks in p.rows.items():
                model._base_manager.filter(pk__in=pks)._raw_delete(using=connection.alias)
            _authorise("")
            connection.check_constraints()
    except DatabaseError as exc:
        log.warning("retention: deletion refused by the database (%s)", type(exc).__name__)
        raise PurgeRefused(
            "The database refused the deletion (a record elsewhere still points to part of it, or "
            "part of it is protected). Nothing was deleted."
        ) from exc
    transaction.on_commit(lambda: _remove_files(files))
    return len(files)
