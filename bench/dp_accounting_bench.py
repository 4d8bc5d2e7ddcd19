"""PLD/RDP accounting time, Veil vs Google's dp-accounting, side by side.

usage: dp_accounting_bench.py VEIL_BIN
For each DP-SGD setting of the reference grid: ε and seconds from
dp-accounting (fresh accountant, in process) and from `veil dp epsilon
--json` (its `seconds` field: the accountant's own compute time, excluding
process start; the wall time of the whole command is shown too). Prints a
markdown table and the median speed-up.
"""
import json
import statistics
import subprocess
import sys
import time

from dp_accounting import dp_event
from dp_accounting.pld import pld_privacy_accountant
from dp_accounting.rdp import rdp_privacy_accountant

veil = sys.argv[1]
RATES = [256 / 32561, 0.01, 0.001]
SIGMAS = [0.6, 1.0, 2.0]
STEPS = [100, 1000, 10000]
DELTA = 1e-5


def ev(q, s, n):
    return dp_event.SelfComposedDpEvent(dp_event.PoissonSampledDpEvent(q, dp_event.GaussianDpEvent(s)), n)


def veil_eps(q, s, n, acc):
    t0 = time.perf_counter()
    out = subprocess.run([veil, "dp", "epsilon", "--sampling-rate", repr(q), "--noise-multiplier", repr(s),
                          "--steps", str(n), "--delta", repr(DELTA), "--accountant", acc, "--json"],
                         check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    v = json.loads(out)
    return v["epsilon"], v["seconds"], wall


print("| q | σ | steps | ε PLD dp-acc | ε PLD veil | rel. diff | s dp-acc | s veil (compute / wall) | speed-up | ε RDP veil | RDP/PLD |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
speedups = []
for q in RATES:
    for s in SIGMAS:
        for n in STEPS:
            t0 = time.perf_counter()
            a = pld_privacy_accountant.PLDAccountant()
            a.compose(ev(q, s, n))
            e_ref = a.get_epsilon(DELTA)
            t_ref = time.perf_counter() - t0
            e_v, t_v, wall = veil_eps(q, s, n, "pld")
            r = rdp_privacy_accountant.RdpAccountant()
            r.compose(ev(q, s, n))
            e_rdp = r.get_epsilon(DELTA)
            speedups.append(t_ref / t_v)
            print(f"| {q:.5f} | {s} | {n} | {e_ref:.4f} | {e_v:.4f} | {(e_v - e_ref) / e_ref:+.2%} | "
                  f"{t_ref:.3f} | {t_v:.4f} / {wall:.3f} | {t_ref / t_v:.0f}x | {e_rdp:.4f} | {e_rdp / e_ref:.2f} |")
print(f"\nmedian speed-up (accountant compute time): {statistics.median(speedups):.0f}x; "
      f"min {min(speedups):.0f}x; max {max(speedups):.0f}x")
