"""The IIN (ЖСН / ИИН): Kazakhstan's 12-digit individual identification number.

It is checked by its control digit, and kept only as a salted slow hash (scrypt, a random
salt per record), compared in constant time. Nothing here returns or logs an IIN.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Final

LENGTH: Final = 12
FIRST_WEIGHTS: Final = tuple(range(1, 12))
SECOND_WEIGHTS: Final = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# A run of exactly 12 digits, maybe written in groups ("880101 300123"): what might be an IIN.
CANDIDATE: Final = re.compile(r"(?<!\d)\d(?:[ \u00a0-]?\d){11}(?!\d)")
REDACTED: Final = "[IIN]"

SALT_BYTES: Final = 16
# scrypt's cost (RFC 7914): 2**14 × 8 × 128 bytes = 16 MiB and tens of milliseconds a hash,
# so that guessing the birth-date-shaped IIN space against one record stays expensive.
SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
HASH_BYTES: Final = 32


def control_digit(first_eleven: str) -> int | None:
    """The 12th digit of an IIN that begins so; None when no digit can be valid."""
    digits = [int(c) for c in first_eleven]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if rest != 10:
            return rest
    return None


def normalise(text: str) -> str:
    """The digits of a typed IIN, spaces and dashes between them dropped."""
    return re.sub(r"[\s\u00a0-]", "", text)


def is_valid_iin(text: str) -> bool:
    """12 digits whose last is the control digit of the first eleven."""
    if len(text) != LENGTH or not text.isascii() or not text.isdigit():
        return False
    return control_digit(text[:11]) == int(text[11])


def redact(text: str) -> str:
    """``text`` with every 12-digit run (a possible IIN, valid or mistyped) replaced."""
    return CANDIDATE.sub(REDACTED, text)


@dataclass(frozen=True, slots=True)
class IinHash:
    salt: bytes
    digest: bytes


def _derive(iin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(iin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                          maxmem=64 * 1024 * 1024, dklen=HASH_BYTES)


def hash_iin(iin: str) -> IinHash:
    """A fresh salt and the IIN's scrypt hash under it (slow on purpose: call off the loop)."""
    salt = secrets.token_bytes(SALT_BYTES)
    return IinHash(salt, _derive(iin, salt))


def matches(iin: str, stored: IinHash) -> bool:
    """Whether ``iin`` is the one hashed, compared in constant time."""
    return hmac.compare_digest(_derive(iin, stored.salt), stored.digest)
