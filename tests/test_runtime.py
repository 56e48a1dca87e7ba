"""The garbage collector's tuning: only a process of its own (the console script) freezes."""

import gc
import subprocess
import sys

from pipeline import runtime


def test_in_process_long_lived_pauses_without_freezing():
    frozen, threshold = gc.get_freeze_count(), gc.get_threshold()
    with runtime.long_lived():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen   # a test process's garbage is never kept for ever
    runtime.settled(), runtime.end()
    assert gc.get_freeze_count() == frozen and gc.isenabled()
    assert gc.get_threshold() == threshold   # nor its collector retuned


def test_long_lived_leaves_a_paused_collector_paused():
    gc.disable()
    try:
        with runtime.long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_own_process_pauses_start_up_and_freezes_what_lives_on():
    script = """
import gc
from pipeline import runtime
runtime.start()
assert not gc.isenabled()
kept = [object() for _ in range(10)]
runtime.settled()
assert gc.isenabled() and gc.get_freeze_count() > 0
assert gc.get_threshold()[0] == runtime.YOUNG
frozen = gc.get_freeze_count()
with runtime.long_lived():
    assert not gc.isenabled()
    more = [[] for _ in range(1000)]
assert gc.isenabled() and gc.get_freeze_count() >= frozen + 1000
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_console_script_keeps_main_exit_codes(tmp_path):
    bad = tmp_path / "missing.txt"
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(bad), "--out",
                           str(tmp_path / "out"), "--quiet"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "missing.txt" in done.stderr
