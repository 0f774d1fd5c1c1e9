"""factory_boy factories of the registries (schools), for every app's tests."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from edugov.accounts.models import OrgKind
from edugov.accounts.tests.factories import OrganisationFactory
from edugov.registries.models import School, SchoolLevel


class SchoolFactory(DjangoModelFactory):
    """A school and its organisation under a bureau (pass `organisation__parent`)."""

    class Meta:
        model = School

    organisation = factory.SubFactory(OrganisationFactory, kind=OrgKind.SCHOOL)
    name = factory.LazyAttribute(lambda s: s.organisation.name)
    code = factory.LazyAttribute(lambda s: s.organisation.code)
    level = SchoolLevel.PRIMARY
    enrolled_students = 500
