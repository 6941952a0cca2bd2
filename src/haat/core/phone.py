"""Phone numbers in E.164, validated with `phonenumbers` (Google's libphonenumber data)."""

from __future__ import annotations

import phonenumbers


def normalize_e164(raw: str, default_region: str | None = None) -> str:
    """``raw`` as an E.164 string such as ``+919812345678``.

    Raises ``ValueError`` when the number cannot be parsed or is not a valid number for its
    region.
    """
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number; use international format like +919812345678")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
