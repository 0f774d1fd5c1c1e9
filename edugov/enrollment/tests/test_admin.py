import pytest

from edugov.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_the_system_administrator_prepares_an_intake_in_the_admin(client, tree, make_user):
    admin = make_user(Role.SYSADMIN, tree.bureau)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get("/admin/enrollment/intake/add/")
    assert page.status_code == 200 and "zone" in page.content.decode().lower()
