"""The lectures given in schools move from oversight's open-government registers to the leadership's
records (issue 31): the rows are copied as they were (their school unknown: the place as written)."""

from django.db import migrations


def copy(apps, schema_editor):
    old = apps.get_model("oversight", "Lecture")
    new = apps.get_model("leadership", "Lecture")
    batch = [new(organisation_id=o.organisation_id, held_on=o.held_on, title=o.title, place=o.place,
                 audience=o.audience, recorded_by_id=o.recorded_by_id) for o in old.objects.order_by("pk").iterator()]
    new.objects.bulk_create(batch, batch_size=1000)


def back(apps, schema_editor):
    old = apps.get_model("oversight", "Lecture")
    new = apps.get_model("leadership", "Lecture")
    old.objects.bulk_create([old(organisation_id=o.organisation_id, held_on=o.held_on, title=o.title, place=o.place,
                                 audience=o.audience, recorded_by_id=o.recorded_by_id) for o in new.objects.all()],
                            batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("leadership", "0001_initial"), ("oversight", "0004_decision_major_decision")]
    operations = [migrations.RunPython(copy, back)]
