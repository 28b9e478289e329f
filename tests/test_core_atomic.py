"""Stop signals around file writes: raised while writing, held back while switching."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from sphinxcontrib_alignsurvey.core.atomic import Terminated, signals_deferred, terminate_raises


class Sender:
    """A thread started beforehand (as a progress display's refresh thread is) that sends *signum* on request:
    a process-directed signal may reach any thread, and the switch must be held back whichever it is."""

    def __init__(self, signum: int) -> None:
        self.go = threading.Event()
        self.sent = threading.Event()
        self.thread = threading.Thread(target=self.run, args=(signum,), daemon=True)
        self.thread.start()

    def run(self, signum: int) -> None:
        self.go.wait(10)
        os.kill(os.getpid(), signum)
        self.sent.set()

    def send(self) -> None:
        self.go.set()
        self.sent.wait(10)
        for _ in range(50):  # a pending Python handler runs at the main thread's next instructions
            time.sleep(0.001)


def test_sigterm_raises_so_clean_up_runs():
    sender = Sender(signal.SIGTERM)
    with pytest.raises(Terminated), terminate_raises():  # noqa: PT012 - the signal arrives inside
        sender.send()
        pytest.fail("not interrupted")
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.fixture
def interruptible():
    """Ctrl-C raises KeyboardInterrupt, as in a terminal, even when the tests were started in the
    background (a shell starts background jobs with SIGINT ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize(("signum", "raised"), [(signal.SIGTERM, Terminated), (signal.SIGINT, KeyboardInterrupt)])
def test_a_stop_signal_during_the_switch_takes_effect_after_it(signum, raised, interruptible):
    finished = []
    sender = Sender(signum)
    with pytest.raises(raised), terminate_raises(), signals_deferred():  # noqa: PT012 - the signal arrives inside
        sender.send()
        finished.append(True)
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_the_host_application_keeps_its_own_handler():
    seen = []
    previous = signal.signal(signal.SIGTERM, lambda n, f: seen.append(n))
    try:
        with terminate_raises():
            Sender(signal.SIGTERM).send()
        assert seen == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)
