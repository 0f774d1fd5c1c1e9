"""Forms whose id fields are resolved within the actor's scope.

A form that takes the id of a record (a person, a school, a case, a catalogue item) declares the
field as a `ScopedChoiceField` naming the selector that lists what the actor may choose; an
`ActorForm` fills each such field's queryset from the actor when it is made. An id from another
district, or of a record the actor may not act on, is then a form error like any other: the view
never fetches a record by a raw id from the request, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

NOT_YOURS = _("This record is not among those you may choose, or it no longer exists; please reload the page.")


_MAX_ID = 2**63 - 1  # a database's largest integer id: a larger number is no record, not a server error


def _no_such_id(value: Any) -> bool:
    text = str(value).strip()
    return text.isdigit() and int(text) > _MAX_ID


class ScopedChoiceField(forms.ModelChoiceField):
    """A model choice whose queryset is `scope(actor)`, set by `ActorForm` (empty until then)."""

    default_error_messages = {"invalid_choice": NOT_YOURS}

    def __init__(self, scope: Callable[[Any], QuerySet[Any]], *, model: type[Model], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def to_python(self, value: Any) -> Any:
        if _no_such_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ScopedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several records, each within `scope(actor)`."""

    default_error_messages = {"invalid_choice": NOT_YOURS, "invalid_pk_value": NOT_YOURS}

    def __init__(self, scope: Callable[[Any], QuerySet[Any]], *, model: type[Model], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def _check_values(self, value: Any) -> Any:
        if any(_no_such_id(v) for v in value or ()):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": ""})
        return super()._check_values(value)  # type: ignore[misc]  # Django has it; the stubs do not


class ActorForm(forms.Form):
    """A form made for one actor: its scoped fields offer, and accept, only the actor's records."""

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        for field in self.fields.values():
            if isinstance(field, ScopedChoiceField | ScopedMultipleChoiceField):
                field.queryset = field.scope(actor)


def first_error(form: forms.Form) -> str:
    """The first of a form's errors, after its field's label: the one line a page's message shows."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return str(_("Please check the form."))


def submit(form: forms.Form, act: Callable[[dict[str, Any]], Any]) -> tuple[bool, Any]:
    """One write through one form: validate it, hand its cleaned data to the action, and return
    (True, what the action returned). A refusal by the action (an EdugovError) becomes an error of
    the form, on the field it names when the form has one, so that the page shows it where it
    belongs, keeps what was typed, and nothing is written: (False, None)."""
    from .errors import EdugovError

    if not form.is_valid():
        return False, None
    try:
        return True, act(form.cleaned_data)
    except EdugovError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return False, None


class DateInput(forms.DateInput):
    """A browser date picker: `<input type="date">` takes ISO dates only, whatever the locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files at once (`<input type="file" multiple>`)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's FileField takes one): each is checked as a FileField
    would check it; the cleaned value is a list, empty when none was chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


class DateField(forms.DateField):
    """A date typed or picked in a form: ISO (YYYY-MM-DD) on a date picker, and the platform's one
    sentence when it is not a date."""

    default_error_messages = {"invalid": _("Please give the date as YYYY-MM-DD.")}
    widget = DateInput


class XlsxImportForm(forms.Form):
    """An Excel file to import (the importer checks its rows; a file with a bad row imports nothing)."""

    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           error_messages={"required": _("Please choose an .xlsx file.")})
