"""Phone numbers in one form, E.164 (+77011234567), whatever the gateway sent."""

from __future__ import annotations

from typing import Final

import phonenumbers

DEFAULT_REGION: Final = "KZ"


def e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """The number in E.164, or None when it is not a possible phone number (a short code,
    an alphanumeric sender): such a sender cannot be answered."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
