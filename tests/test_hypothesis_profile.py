"""Per-test Hypothesis settings only tune the number of examples, the deadline and health checks:
derandomize and the database come from the profile tests/conftest.py loads (under CI:
derandomized, no database), for every property test of the property and fuzz modules."""

import conftest
import pytest
import test_fuzz
import test_properties
from hypothesis import settings


@pytest.mark.parametrize("module", [test_properties, test_fuzz], ids=lambda m: m.__name__)
def test_settings_keep_the_profiles_derandomization(module):
    tests = [f for f in vars(module).values() if callable(f) and hasattr(f, "hypothesis")]
    assert tests
    profile = settings.default
    for test in tests:
        chosen = test._hypothesis_internal_use_settings
        assert (chosen.derandomize, chosen.database) == (profile.derandomize, profile.database), test.__name__
    if conftest._profile() == "ci":
        assert profile.derandomize and profile.database is None
