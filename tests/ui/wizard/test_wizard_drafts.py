"""Drafts: every step is autosaved; after a crash the next start offers to resume it."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.screening.session import Reply, Step
from app.settings import Settings
from app.storage.drafts import DraftRepository
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store
from app.ui.wizard import ScreeningWizard

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
ROOT = Path(__file__).resolve().parents[2]


def shown(qtbot, store: Store) -> ScreeningWizard:  # type: ignore[no-untyped-def]
    wizard = ScreeningWizard(store, Settings())
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    return wizard


def on_third_question(wizard: ScreeningWizard) -> None:
    wizard.start_from(wizard.start_page.values() | {"benefit": "maintenance_support"})
    wizard.act(lambda s: s.set_can_talk_freely(True))
    wizard.act(lambda s: s.begin_asking())
    wizard.act(lambda s: s.start_questions())
    wizard.act(lambda s: s.reply(Reply.NO))
    wizard.act(lambda s: s.reply(Reply.YES))


def test_every_step_is_autosaved_as_the_handlers_draft(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    wizard = shown(qtbot, store)
    drafts = DraftRepository(store.engine)
    on_third_question(wizard)
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    draft = drafts.get("handler-1")
    assert draft is not None
    assert draft.data == wizard.session.to_json()
    wizard.act(lambda s: s.reply(Reply.DECLINED))
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    assert '"declined"' in drafts.get("handler-1").data


def test_the_next_start_offers_the_draft_and_resumes_it_exactly(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    first = shown(qtbot, store)
    on_third_question(first)
    qtbot.waitUntil(lambda: not first.writer.busy)
    state = first.session.state.model_copy(deep=True)
    first.close()

    second = shown(qtbot, store)
    notice = second.start_page.notice
    qtbot.waitUntil(notice.isVisible)
    qtbot.waitUntil(notice.first.hasFocus)
    qtbot.keyClick(notice.first, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: second.session is not None)
    assert second.session.state == state
    assert second.session.step is Step.QUESTIONS
    assert second.current_page is second.pages[Step.QUESTIONS]
    assert second.pages[Step.QUESTIONS].position.text().startswith(("Fråga 3", "Question 3"))


def test_a_draft_can_be_discarded_at_the_start(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    first = shown(qtbot, store)
    on_third_question(first)
    qtbot.waitUntil(lambda: not first.writer.busy)
    first.close()
    second = shown(qtbot, store)
    notice = second.start_page.notice
    qtbot.waitUntil(notice.isVisible)
    qtbot.mouseClick(notice.second, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not second.writer.busy)
    assert DraftRepository(store.engine).get("handler-1") is None
    assert second.session is None


def test_cancelling_needs_two_presses_and_removes_the_draft(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    wizard = shown(qtbot, store)
    on_third_question(wizard)
    wizard.discard_button.click()
    assert wizard.session is not None, "the first press only asks"
    assert wizard.current_page.problem.isVisible()
    wizard.discard_button.click()
    qtbot.waitUntil(lambda: not wizard.writer.busy)
    assert wizard.session is None
    assert DraftRepository(store.engine).get("handler-1") is None


def test_a_killed_process_leaves_a_draft_that_the_next_start_resumes(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    with subprocess.Popen(
        [sys.executable, "-m", "tests.ui.wizard.wizard_crash_script", str(data_dir)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    ) as process:
        assert process.stdout is not None
        try:
            ready, _, _ = select.select([process.stdout], [], [], 60)
            assert ready, "the screening in the other process never got going"
            line = process.stdout.readline().split()
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert line[0] == "READY"
    session_id = line[1]

    store = open_store(resolve_location(data_dir))
    try:
        wizard = shown(qtbot, store)
        notice = wizard.start_page.notice
        qtbot.waitUntil(notice.isVisible)
        qtbot.waitUntil(notice.first.hasFocus)
        qtbot.keyClick(notice.first, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: wizard.session is not None)
        session = wizard.session
        assert str(session.state.id) == session_id
        assert session.step is Step.QUESTIONS
        assert [a.reply for a in session.state.answers] == [Reply.NO, Reply.NO, Reply.YES]
        assert session.state.start.case_reference == "DEMO-000321"
        assert session.state.opened_at is not None, "the timer keeps its start"
    finally:
        wizard.close()
        qtbot.waitUntil(lambda: not wizard.writer.busy)
        store.close()
