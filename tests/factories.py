"""factory-boy factories, named after the states they build (STYLE.md)."""

from __future__ import annotations

import factory

from partnerships.models import Agency, Membership, Partnership, User
from partnerships.roles import AgencyKind, Role

PASSWORD = "correct-horse-battery-staple"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testshire Safeguarding Partnership {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    reference_prefix = factory.Sequence(lambda n: "T" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.HEALTH_PROVIDER
    is_statutory_partner = False


class StatutoryPartnerFactory(AgencyFactory):
    kind = AgencyKind.LOCAL_AUTHORITY
    is_statutory_partner = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PRACTITIONER


def member(role: str, agency: Agency, **user_kwargs) -> User:
    """A new person holding ``role`` through ``agency``."""
    return MembershipFactory(role=role, agency=agency, user=UserFactory(**user_kwargs)).user
