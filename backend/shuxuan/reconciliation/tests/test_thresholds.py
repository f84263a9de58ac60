"""The approval and close thresholds have one home (reconciliation/thresholds.py), read the settings
at the moment of use, and a negative value stops start-up naming the variable."""

from __future__ import annotations

from typing import Any

import pytest

from shuxuan.common.tests.test_deploy import _env, _manage
from shuxuan.reconciliation.thresholds import approval_threshold, close_threshold


def test_the_thresholds_are_the_settings_values_at_the_moment_of_use(settings: Any) -> None:
    settings.RECONCILIATION_APPROVAL_THRESHOLD_MINOR = 12_345
    settings.RECONCILIATION_CLOSE_THRESHOLD_MINOR = 678
    assert (approval_threshold(), close_threshold()) == (12_345, 678)


@pytest.mark.parametrize("variable", ["RECONCILIATION_APPROVAL_THRESHOLD_MINOR", "RECONCILIATION_CLOSE_THRESHOLD_MINOR"])
def test_a_negative_threshold_stops_start_up_naming_it(variable: str) -> None:
    env = _env(DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_SECRET_KEY="x" * 60, **{variable: "-1"})
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{variable}='-1' must be at least 0" in result.stderr
