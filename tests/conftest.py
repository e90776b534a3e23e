"""pytest configuration: the shared hypothesis profiles (tb/profiles.py); tests/pynq_loop runs only
where pynq imports (build/pynq-env, started by tests/test_pynq_backend.py)."""

import importlib.util
from pathlib import Path

import pytest

import tb.profiles  # noqa: F401  (registers and loads the profile)

collect_ignore = [] if importlib.util.find_spec("pynq") else ["pynq_loop"]


@pytest.fixture(scope="module")
def acc():
    """The driver over the simulated board at the device's build (vivado/defaults.tcl: the one the
    main job uses), built once and shared by the suite through build/kit-cache."""
    from host.driver import Accelerator
    from host.sim.platform import SimDMA, SimIP, Simulator

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IBERT_KIT_CACHE", str(Path(__file__).resolve().parents[1] / "build" / "kit-cache"))
        sim = Simulator()
    with Accelerator(SimIP(sim), SimDMA(sim), sim.allocate, timeout=30) as a:
        yield a
