"""Hypothesis profiles, shared by pytest (tests/conftest.py) and the simulator processes (tb/).

``ci`` (the default) is deterministic with a modest example count and no deadline; ``thorough``
(``HYPOTHESIS_PROFILE=thorough``) draws many more, for local bug hunts.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=150, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", max_examples=3000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
