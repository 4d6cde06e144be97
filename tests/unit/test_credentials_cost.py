"""The tests hash passwords cheaply (tests/conftest.py); the product must not."""

from __future__ import annotations

from knowledge import credentials
from tests.conftest import PRODUCT_HASHER


def test_the_product_hashes_passwords_with_argon2_at_its_recommended_cost() -> None:
    assert PRODUCT_HASHER.time_cost >= 3
    assert PRODUCT_HASHER.memory_cost >= 64 * 1024  # KiB
    assert PRODUCT_HASHER.parallelism >= 1
    assert PRODUCT_HASHER.hash("a password of ten").startswith("$argon2id$")


def test_a_hash_made_at_the_products_cost_is_verified_by_the_tests_hasher() -> None:
    stored = PRODUCT_HASHER.hash("a password of ten")
    assert credentials._HASHER is not PRODUCT_HASHER
    assert credentials._HASHER.verify(stored, "a password of ten")
