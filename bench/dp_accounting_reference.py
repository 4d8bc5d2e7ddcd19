"""Reference ε values from Google's dp-accounting for Veil's accountant tests.

Run with bench/dp_accounting_reference.sh (creates bench/.venv-dp). Writes
crates/veil-dp/tests/fixtures/dpsgd_reference.json: for each DP-SGD setting
(Poisson-subsampled Gaussian, add-or-remove adjacency) the PLD ε (default
PLDAccountant, discretisation 1e-4, connect-the-dots) and the RDP ε (default
orders), with dp-accounting's own run time per configuration.
"""
import json
import sys
import time

import dp_accounting
from dp_accounting import dp_event
from dp_accounting.pld import pld_privacy_accountant
from dp_accounting.rdp import rdp_privacy_accountant

RATES = [256 / 32561, 0.01, 0.001]
SIGMAS = [0.6, 1.0, 2.0]
STEPS = [100, 1000, 10000]
DELTA = 1e-5


def event(q, sigma, steps):
    return dp_event.SelfComposedDpEvent(
        dp_event.PoissonSampledDpEvent(q, dp_event.GaussianDpEvent(sigma)), steps)


rows = []
for q in RATES:
    for sigma in SIGMAS:
        for steps in STEPS:
            t0 = time.perf_counter()
            pld = pld_privacy_accountant.PLDAccountant()
            pld.compose(event(q, sigma, steps))
            eps_pld = pld.get_epsilon(DELTA)
            t_pld = time.perf_counter() - t0
            t0 = time.perf_counter()
            rdp = rdp_privacy_accountant.RdpAccountant()
            rdp.compose(event(q, sigma, steps))
            eps_rdp = rdp.get_epsilon(DELTA)
            t_rdp = time.perf_counter() - t0
            rows.append(dict(sampling_rate=q, noise_multiplier=sigma, steps=steps, delta=DELTA,
                             epsilon_pld=eps_pld, epsilon_rdp=eps_rdp,
                             seconds_pld=t_pld, seconds_rdp=t_rdp))
            print(f"q={q:.6f} sigma={sigma} steps={steps}: pld {eps_pld:.5f} ({t_pld:.3f}s) "
                  f"rdp {eps_rdp:.5f} ({t_rdp:.3f}s)", file=sys.stderr)

out = dict(source=f"dp-accounting {dp_accounting.__version__ if hasattr(dp_accounting, '__version__') else '0.6.0'}",
           script="bench/dp_accounting_reference.py", configs=rows)
path = sys.argv[1] if len(sys.argv) > 1 else "crates/veil-dp/tests/fixtures/dpsgd_reference.json"
with open(path, "w") as f:
    json.dump(out, f, indent=1)
