"""pytest configuration: the shared hypothesis profiles (tb/profiles.py); tests/pynq_loop runs only
where pynq imports (build/pynq-env, started by tests/test_pynq_backend.py)."""

import importlib.util
import os
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits

import tb.profiles  # noqa: F401  (registers and loads the profile)

if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    # One BLAS thread per worker, here and in the simulators and kernels the tests start: with a
    # worker per core, BLAS's spinning threads took the other worker's core (a float forward pass
    # ran six times slower in the suite than alone).
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    threadpool_limits(1)

collect_ignore = [] if importlib.util.find_spec("pynq") else ["pynq_loop"]


@pytest.fixture(scope="module")
def acc():
    """The driver over the simulated board at the device's build (vivado/defaults.tcl: the one the
    main job uses), built once and shared by the suite through build/kit-cache."""
    from host.accel.driver import Accelerator
    from host.accel.sim.platform import SimIP, Simulator

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IBERT_KIT_CACHE", str(Path(__file__).resolve().parents[1] / "build" / "kit-cache"))
        sim = Simulator()
    with Accelerator(SimIP(sim), sim.allocate, timeout=30) as a:
        a.sim = sim  # the board under the driver, for tests that hold or fault its memory
        yield a
