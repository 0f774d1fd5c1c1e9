"""factory_boy factories of the accounts app (organisations, staff, grants), shared by every app's
tests through the fixtures of `edugov.accounts.tests.fixtures` (registered in the root conftest)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory, Password

from edugov.accounts.models import Grant, Organisation, OrgKind, Role, User

PASSWORD = "Pass-word-2024"  # noqa: S105 - test accounts


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.LazyAttribute(lambda o: f"测试机构{o.code}")
    kind = OrgKind.BUREAU
    parent = None


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n:04d}")
    full_name = factory.Sequence(lambda n: f"职员{n}")
    password = Password(PASSWORD)


class GrantFactory(DjangoModelFactory):
    """A role at an organisation (the user made with it unless given)."""

    class Meta:
        model = Grant

    user = factory.SubFactory(UserFactory)
    role = Role.DEPARTMENT_STAFF
    organisation = factory.SubFactory(OrganisationFactory)
