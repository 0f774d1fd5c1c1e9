"""Validators for the identifiers of PRC national standards.

GB 11643-1999 (citizen identity number) and GB 32100-2015 (unified social credit code)
each end in a check character computed by a weighted sum; no library on PyPI implements
both with messages a clerk can act on, so they are written here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _

from .errors import ValidationFailed

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_identity_number(value: str) -> str:
    """The 18 characters as stored: full-width digits and Ｘ from a Chinese input method become ASCII
    (NFKC), spaces anywhere (also the ideographic space) are dropped, x becomes X."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def identity_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_identity_number(value: str, *, today: dt.date | None = None) -> str:
    """Return the normalized 18-character identity number or raise with a message that says what to fix."""
    number = normalize_identity_number(value)
    if len(number) != 18:
        raise ValidationFailed(_("An identity number has 18 characters; this one has %(n)d.") % {"n": len(number)})
    if not _ID_RE.match(number):
        raise ValidationFailed(_("An identity number is 17 digits followed by a digit or X; please check it."))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationFailed(
            _("Characters 7 to 14 of the identity number are not a valid birth date; please check them.")
        ) from None
    if birth < dt.date(1900, 1, 1) or birth > (today or dt.date.today()):
        raise ValidationFailed(_("The birth date in the identity number is not plausible; please check characters 7 to 14."))
    if identity_check_char(number[:17]) != number[17]:
        raise ValidationFailed(_("The check digit of the identity number is wrong; please check the 18th character."))
    return number


def birth_date_of(identity_number: str) -> dt.date:
    n = normalize_identity_number(identity_number)
    return dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))


def gender_of(identity_number: str) -> str:
    """'M' or 'F' from the 17th character (odd: male)."""
    return "M" if int(normalize_identity_number(identity_number)[16]) % 2 else "F"


def credit_check_char(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    code = (value or "").strip().replace(" ", "").upper()
    if len(code) != 18:
        raise ValidationFailed(_("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)})
    if not _CREDIT_RE.match(code):
        raise ValidationFailed(
            _("A unified social credit code uses digits and capital letters other than I, O, S, V and Z; please check it.")
        )
    if credit_check_char(code[:17]) != code[17]:
        raise ValidationFailed(_("The check character of the credit code is wrong; please check the 18th character."))
    return code


def normalise_mobile(value: str) -> str:
    """A mainland mobile number in its one stored form: digits only, without the country code
    (``+86 135-1234-0000``, ``0086 13512340000`` and ``(135)1234 0000`` are one number). Every
    limit, blind index and comparison keys on this form, so spelling a number differently
    cannot pass a per-number limit. Full-width digits are folded to ASCII first."""
    text = unicodedata.normalize("NFKC", value or "")
    text = re.sub(r"[\s\-()\u00b7.]", "", text)
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix):]
    if len(text) == 13 and text.startswith("86"):
        text = text[2:]
    return text


def validate_mobile(value: str) -> str:
    phone = normalise_mobile(value)
    if not _PHONE_RE.match(phone):
        raise ValidationFailed(_("Please enter an 11-digit mainland mobile number starting with 1."))
    return phone


_PK = re.compile(r"^[0-9]{1,18}$")


def as_pk(value: object) -> int | None:
    """A primary key from a form, a path or a query string, or None: ASCII digits only (``'³'``
    passes `str.isdigit`), and small enough for a bigint column (a longer number is an error in
    the database, not a miss)."""
    text = str(value or "").strip()
    return int(text) if _PK.match(text) else None


def as_date(value: object, field: str | None = None) -> dt.date:
    """A date typed in a form (YYYY-MM-DD), or a clear refusal naming the field."""
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(_("Please give the date as YYYY-MM-DD."), field=field) from None


def required_text(value: str | None, field: str, message: str) -> str:
    """A required text of a form or an action, stripped; blank is a refusal naming the field."""
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(message, field=field)
    return text


def not_after(day: dt.date, today: dt.date, field: str) -> None:
    """A date the act records (received, signed, decided) is not in the future of the act's day."""
    if day > today:
        raise ValidationFailed(_("A date in the future cannot be recorded."), field=field)
