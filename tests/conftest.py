"""pytest configuration: the shared hypothesis profiles (tb/profiles.py)."""

import tb.profiles  # noqa: F401  (registers and loads the profile)
