"""The load test's table, printed at the end of the pytest run (CI's log keeps it)."""

import statistics

from hub_harness import hub  # noqa: F401  (the session fixture)


def _row(name, values, fmt):
    values = sorted(values)
    if not values:
        return f"  {name:<34} (not measured)"
    return (
        f"  {name:<34} median {fmt(statistics.median(values)):>9}   "
        f"worst {fmt(values[-1]):>9}   n={len(values)}"
    )


def pytest_terminal_summary(terminalreporter):
    from test_load import RESULTS

    if not RESULTS:
        return
    sec = lambda v: f"{v:.1f} s"  # noqa: E731
    mib = lambda v: f"{v / 2**20:.0f} MiB"  # noqa: E731
    w = terminalreporter.write_line
    terminalreporter.section("classroom load test")
    w(_row("spawn time per student", RESULTS.get("spawn", {}).values(), sec))
    w(_row("run 04, all students at once", RESULTS.get("run", {}).values(), sec))
    w(_row("then 06 and 07 (two students)", RESULTS.get("run_heavy", {}).values(), sec))
    w(_row("peak memory, server + kernel, 04", RESULTS.get("peak_light", {}).values(), mib))
    w(_row("peak memory, 04 then 06 or 07", RESULTS.get("peak_heavy", {}).values(), mib))
    w(
        f"  failures: {RESULTS.get('failures', 'not run')}; isolation by token: "
        f"{RESULTS.get('isolation_token', 'not run')}; without a token: "
        f"{RESULTS.get('isolation_anonymous', 'not run')}; listening sockets, all on "
        f"127.0.0.1: {RESULTS.get('listening', 'not run')}; websockets dropped "
        f"(each fails the test): {len(RESULTS.get('dropped', []))} {RESULTS.get('dropped', '')}"
    )
