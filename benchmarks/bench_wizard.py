"""Screening workflow benchmarks (issue 4).

    .venv/bin/python -m benchmarks.bench_wizard [--runs N]

On an encrypted store made with ``vagafraga init`` (as on a handler's machine), with
the wizard shown offscreen:

- step-to-step transition: from the handler's action (button click or answer key) to the
  next step shown and painted, every transition of a full screening (target < 50 ms);
- save as the handler perceives it: from "Save" to the fresh start page painted, the
  durable commit running off the UI thread (target < 100 ms); and until the commit is
  confirmed on screen;
- the UI thread never blocked over 100 ms: the longest gap between beats of a 5 ms QTimer
  heartbeat during full scripted screenings driven from the event loop;
- main window to the first question for a routine phone case: keystrokes and time in
  the software (the handler's own reaction time comes on top).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import itertools

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.accounts.session import unlock
from app.i18n import set_language
from app.screening.enums import ChildDecision
from app.screening.protocols import Flag, Protocol, Question
from app.screening.session import Reply, Step
from app.settings import Settings
from app.storage.engine import resolve_location
from app.ui.common.tasks import wait_for_tasks
from app.ui.wizard import ScreeningWizard
from app.ui.wizard.asking_page import answer_keys
from benchmarks.bench_foundation import ADMIN, PASSWORD, init


def settle(app: QApplication) -> None:
    for _ in range(3):
        wait_for_tasks()
        app.processEvents()


def chain(protocol: Protocol, flag: Flag) -> set[str]:
    def search(questions: list[Question], trail: list[str]) -> list[str] | None:
        for question in questions:
            if flag in question.sets:
                return [*trail, question.id]
            found = search(question.follow_ups, [*trail, question.id])
            if found:
                return found
        return None

    return set(search(protocol.script.questions, []) or [])


def steps(wizard: ScreeningWizard) -> list[tuple[str, Callable[[], None]]]:
    """One full screening as (name, action) pairs, each as the handler triggers it."""
    keys = answer_keys()
    actions: list[tuple[str, Callable[[], None]]] = [
        ("start -> safety", wizard.start_page.start_button.click),
        ("can talk freely", wizard.safety_page.talk_buttons[True].click),
        ("safety -> opening", wizard.safety_page.ask_button.click),
        ("opening -> question", wizard.opening_page.next_button.click),
    ]

    def answer() -> None:
        session = wizard.session
        assert session is not None
        assert session.current_question is not None
        protocol = session.protocol
        yes = chain(protocol, Flag.CHILDREN_AFFECTED) | {protocol.script.questions[0].id}
        reply = Reply.YES if session.current_question.id in yes else Reply.NO
        key = getattr(Qt.Key, f"Key_{keys[reply]}")
        QTest.keyClick(wizard.question_page.question, key)

    actions += [("answer -> next question", answer)] * 40  # trimmed to the questions shown
    actions += [
        ("outcome -> children", wizard.outcome_page.next_button.click),
        ("report made", wizard.children_page.choices[ChildDecision.REPORTED_NOW].click),
        ("children -> support", wizard.children_page.next_button.click),
    ]
    return actions


def run_screening(app: QApplication, wizard: ScreeningWizard) -> tuple[list[float], float, float]:
    """Transitions (ms), save perceived (ms), save until confirmed (ms)."""
    transitions: list[float] = []
    for name, action in steps(wizard):
        session = wizard.session
        if name.startswith("answer") and (session is None or session.step is not Step.QUESTIONS):
            continue
        started = time.perf_counter()
        action()
        app.processEvents()
        wizard.window().repaint()
        transitions.append((time.perf_counter() - started) * 1000)
    assert wizard.session is not None
    assert wizard.session.step is Step.SUPPORT
    settle(app)
    started = time.perf_counter()
    wizard.support_page.save_button.click()
    app.processEvents()
    wizard.window().repaint()
    perceived = (time.perf_counter() - started) * 1000
    confirmed_text = wizard.start_page.notice.text
    while wizard.writer.busy:
        app.processEvents()
    app.processEvents()
    confirmed = (time.perf_counter() - started) * 1000
    assert wizard.session is None
    assert confirmed_text.text()
    return transitions, perceived, confirmed


def heartbeat_run(app: QApplication, wizard: ScreeningWizard, screenings: int) -> list[float]:
    """Full screenings driven from the event loop; the gaps (ms) between heartbeats."""
    beats: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(lambda: beats.append(clock.nsecsElapsed() / 1e6))
    plan: list[Callable[[], None]] = []
    for _ in range(screenings):
        for name, action in steps(wizard):
            plan.append(bound(wizard, name, action))
        plan.append(wizard.support_page.save_button.click)
        plan.append(lambda: None)

    def next_action() -> None:
        if not plan:
            if wizard.writer.busy:
                QTimer.singleShot(20, next_action)
                return
            app.quit()
            return
        plan.pop(0)()
        QTimer.singleShot(20, next_action)  # a quick handler: one action every 20 ms

    heart.start()
    QTimer.singleShot(20, next_action)
    app.exec()
    heart.stop()
    return [later - earlier for earlier, later in itertools.pairwise(beats)]


def bound(wizard: ScreeningWizard, name: str, action: Callable[[], None]) -> Callable[[], None]:
    return lambda: run_if_fits(wizard, name, action)


def run_if_fits(wizard: ScreeningWizard, name: str, action: Callable[[], None]) -> None:
    session = wizard.session
    if name.startswith("answer") and (session is None or session.step is not Step.QUESTIONS):
        return
    action()


def first_question(app: QApplication, wizard: ScreeningWizard) -> tuple[int, float]:
    """Keystrokes and software time from the start page to the first question."""
    keystrokes = 0
    started = time.perf_counter()
    wizard.start_page.focus_first()

    def key(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        nonlocal keystrokes
        keystrokes += 1
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, key, modifier)
        app.processEvents()

    key(Qt.Key.Key_Return)
    wizard.safety_page.talk_buttons[True].click()  # Alt+mnemonic: one chord
    keystrokes += 1
    app.processEvents()
    wizard.safety_page.ask_button.click()  # Alt+mnemonic: one chord
    keystrokes += 1
    app.processEvents()
    key(Qt.Key.Key_Return)
    elapsed = time.perf_counter() - started
    assert wizard.session is not None
    assert wizard.session.step is Step.QUESTIONS
    wizard.discard_button.click()
    wizard.discard_button.click()
    settle(app)
    return keystrokes, elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="screenings timed step by step")
    parser.add_argument("--loop-runs", type=int, default=5, help="screenings under heartbeat")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    set_language("sv")
    with tempfile.TemporaryDirectory() as temporary:
        os.environ["VAGAFRAGA_CONFIG_DIR"] = str(Path(temporary) / "config")
        location = resolve_location(init(Path(temporary) / "data"))
        with unlock(location, ADMIN, PASSWORD) as login:
            wizard = ScreeningWizard(login.store, Settings())
            wizard.resize(1200, 800)
            wizard.show()
            settle(app)
            keystrokes, to_question = first_question(app, wizard)
            transitions: list[float] = []
            perceived: list[float] = []
            confirmed: list[float] = []
            for _ in range(args.runs):
                steps_ms, saved_ms, committed_ms = run_screening(app, wizard)
                transitions += steps_ms
                perceived.append(saved_ms)
                confirmed.append(committed_ms)
            gaps = heartbeat_run(app, wizard, args.loop_runs)
            settle(app)
            wizard.close()
            settle(app)
    print(
        f"main window to the first question (routine phone case): {keystrokes} keystrokes, "
        f"{to_question * 1000:.0f} ms in the software (target < 5 s)"
    )
    print(
        f"step-to-step transition, {len(transitions)} transitions in {args.runs} screenings: "
        f"median {statistics.median(transitions):.1f} ms, p95 "
        f"{percentile(transitions, 0.95):.1f} ms, max {max(transitions):.1f} ms "
        f"(target < 50 ms)"
    )
    print(
        f"save as perceived, {args.runs} saves: median {statistics.median(perceived):.1f} ms, "
        f"max {max(perceived):.1f} ms (target < 100 ms); durable commit confirmed on screen: "
        f"median {statistics.median(confirmed):.1f} ms, max {max(confirmed):.1f} ms"
    )
    print(
        f"UI thread, {args.loop_runs} screenings from the event loop, 5 ms heartbeat: "
        f"longest gap {max(gaps):.1f} ms, p99 {percentile(gaps, 0.99):.1f} ms "
        f"(target: never over 100 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
