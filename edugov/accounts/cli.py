"""What the command line shares about organisations: `--org CODE` (INTERFACES.md, "Command line")."""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import Organisation, OrgKind


def organisation_for(code: str | None) -> Organisation:
    """The organisation `--org CODE` names; without a code, the only district here. Where there
    is more than one, or the code is unknown, it names the codes it accepts and exits 2."""
    bureaus = list(Organisation.objects.filter(kind=OrgKind.BUREAU).order_by("code").values_list("code", flat=True))
    accepted = ", ".join(bureaus) or "(none: no district is set up yet)"
    if code:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            raise CommandError(f"no organisation with code {code!r}; district codes here: {accepted}", returncode=2)
        return org
    if len(bureaus) != 1:
        raise CommandError(f"name the district with --org CODE; district codes here: {accepted}", returncode=2)
    return Organisation.objects.get(code=bureaus[0])
