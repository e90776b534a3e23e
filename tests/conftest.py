"""pytest configuration: the shared hypothesis profiles (tb/profiles.py); tests/pynq_loop runs only
where pynq imports (build/pynq-env, started by tests/test_pynq_backend.py)."""

import importlib.util

import tb.profiles  # noqa: F401  (registers and loads the profile)

collect_ignore = [] if importlib.util.find_spec("pynq") else ["pynq_loop"]
