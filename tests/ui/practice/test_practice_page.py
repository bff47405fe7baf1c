"""Practice by keyboard: a scenario through the real wizard in practice mode, the client panel,
the feedback, the trainer's view; practice never reaches the real store."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from app.screening.enums import ChildDecision
from app.screening.session import Step
from app.settings import Settings
from app.storage.practice import PracticeResults, open_practice_store
from app.storage.repository import RecordFilter
from app.storage.store import Store
from app.ui.common.a11y import heard_name
from app.ui.common.tasks import wait_for_tasks
from app.ui.practice.page import PracticeArea
from app.ui.practice.run import PracticeRunView, practice_mark
from app.ui.wizard.asking_page import answer_keys
from tests.conftest import open_test_store

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TITLE = "Våga fråga"


class Keys:
    """The trainee's keyboard."""

    def __init__(self, qtbot, area: PracticeArea) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.area = area

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
        widget = QApplication.focusWidget()
        assert widget is not None, "something must have the keyboard focus"
        self.qtbot.keyClick(widget, key, modifier)

    def letter(self, letter: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
        self.press(getattr(Qt.Key, f"Key_{letter.upper()}"), modifier)

    def mnemonic(self, text: str) -> None:
        """Alt + the underlined letter of a control's text."""
        found = re.search(r"&([^&])", text)
        assert found, text
        self.letter(found.group(1), Qt.KeyboardModifier.AltModifier)

    def ctrl(self, digit: int) -> None:
        self.press(getattr(Qt.Key, f"Key_{digit}"), Qt.KeyboardModifier.ControlModifier)

    def wait(self, condition) -> None:  # type: ignore[no-untyped-def]
        self.qtbot.waitUntil(condition, timeout=5000)

    @property
    def view(self) -> PracticeRunView:
        assert self.area.run_view is not None
        return self.area.run_view

    def wait_step(self, step: Step) -> None:
        self.wait(
            lambda: self.view.wizard.session is not None and self.view.wizard.session.step is step
        )

    def choose(self, scenario_id: str) -> None:
        chooser = self.area.chooser
        chooser.list.setFocus()
        self.press(Qt.Key.Key_Home)
        index = [s.id for s in chooser.scenarios].index(scenario_id)
        for _ in range(index):
            self.press(Qt.Key.Key_Down)
        assert chooser.current.id == scenario_id
        self.mnemonic(chooser.start_button.text())
        self.wait(lambda: self.area.run_view is not None and self.view.isVisible())
        self.wait(self.view.wizard.start_page.start_button.hasFocus)


IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|= (?:true|false)\b")


def test_the_banner_speaks_the_interface_language_only(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from app.i18n import set_language
    from app.training.scenarios import scenario_set

    set_language("sv")
    view = PracticeRunView(store, Settings(), scenario_set().get("partner_listening_phone"))
    qtbot.addWidget(view)
    assert view.banner.text().startswith("ÖVNING — ")
    assert "PRACTICE" not in view.banner.text()
    set_language("en")
    assert practice_mark() == "PRACTICE"


@pytest.fixture
def area(qtbot, store: Store, english: None) -> PracticeArea:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    window.setWindowTitle(TITLE)
    practice = PracticeArea(store, Settings(), window)
    window.setCentralWidget(practice)
    qtbot.addWidget(window)
    window.resize(1300, 860)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)
    yield practice
    wait_for_tasks()
    practice.practice_store.close()


def _kept(data_dir: Path) -> tuple[list, list]:  # type: ignore[type-arg]
    with open_test_store(data_dir) as main, open_practice_store(main) as practice:
        records = practice.records.query(RecordFilter(include_practice=True))
        return records, PracticeResults(practice.engine).runs()


def test_a_scenario_played_by_keyboard_scores_full_marks_and_stays_practice(
    qtbot,
    area: PracticeArea,
    store: Store,
    data_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    keys = Keys(qtbot, area)
    keys.choose("partner_listening_phone")
    view = keys.view
    assert view.banner.text().startswith(practice_mark())
    assert area.window().windowTitle() == f"{practice_mark()} — {TITLE}"
    assert view.wizard.practice is True
    assert view.client.lines()[0].startswith("Situation: You call Lina")

    keys.ctrl(3)  # "can you talk freely?" before starting the screening
    # People speak the conversation's language (Swedish here); the rest is in the trainee's.
    keys.wait(lambda: any(line.startswith("Lina: Eh... min") for line in view.client.lines()))
    assert view.client.lines()[-1].startswith("Learned: Lina's partner is sitting next to her")
    keys.press(Qt.Key.Key_Return)  # Start screening (focused)
    keys.wait_step(Step.SAFETY)
    safety = view.wizard.pages[Step.SAFETY]
    keys.mnemonic(safety.talk_buttons[False].text())
    keys.wait(lambda: view.wizard.session.state.can_talk_freely is False)
    presence = safety.presence_boxes[next(iter(safety.presence_boxes))].parentWidget()
    keys.mnemonic(presence.title())
    keys.press(Qt.Key.Key_Space)  # the first box: partner
    keys.wait(lambda: [p.value for p in view.wizard.session.state.others_present] == ["partner"])
    keys.ctrl(1)
    keys.wait(lambda: view.client.lines()[-1].startswith("Partner: Vadå, vi har"))
    keys.ctrl(4)
    keys.wait(lambda: view.client.lines()[-1].startswith("Lina: Eh... förmiddag"))
    keys.mnemonic(safety.not_asked_button.text())
    keys.wait_step(Step.NOT_ASKED)
    keys.press(Qt.Key.Key_Return)  # Save as not asked (focused)
    keys.wait(lambda: view.stack.currentWidget() is view.feedback)

    assert view.feedback.heading.text() == "Score: 8 of 8"
    text = view.feedback.items.toPlainText()
    assert not IDENTIFIER.findall(text), "no field id or code in the feedback"
    assert text.count("✔ Passed") == 4
    assert "Why it matters:" in text
    records, results = _kept(data_dir)
    assert len(records) == 1
    assert records[0].practice is True
    assert records[0].not_asked_reason.value == "not_alone"
    assert [(r.scenario, r.score, r.max_score) for r in results] == [
        ("partner_listening_phone", 8, 8)
    ]
    assert store.records.count(RecordFilter(include_practice=True)) == 0

    keys.mnemonic(view.feedback.leave_button.text())
    keys.wait(lambda: area.run_view is None and area.chooser.isVisible())
    assert area.window().windowTitle() == TITLE


def test_a_missed_follow_up_is_explained_and_counted_for_the_trainer(
    qtbot,
    area: PracticeArea,
    store: Store,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    keys = Keys(qtbot, area)
    keys.choose("maintenance_threats")
    view = keys.view
    keys.ctrl(3)
    keys.press(Qt.Key.Key_Return)
    keys.wait_step(Step.SAFETY)
    safety = view.wizard.pages[Step.SAFETY]
    keys.mnemonic(safety.talk_buttons[True].text())
    keys.wait(lambda: view.wizard.session.can_ask)
    keys.mnemonic(safety.ask_button.text())
    keys.wait_step(Step.OPENING)
    keys.press(Qt.Key.Key_Return)
    keys.wait_step(Step.QUESTIONS)
    answer = answer_keys()
    session = view.wizard.session
    while session.step is Step.QUESTIONS:
        question = session.current_question
        heard = view.run.heard(question.id)
        assert heard is not None, "the client has answered the question shown"
        reply = heard if question.id != "current_violence" else type(heard).NO
        count = len(session.state.answers)
        keys.letter(answer[reply])
        keys.wait(
            lambda c=count: len(session.state.answers) > c or session.step is not Step.QUESTIONS
        )
    keys.wait_step(Step.OUTCOME)
    keys.press(Qt.Key.Key_Return)  # Continue (focused)
    keys.wait_step(Step.CHILDREN)  # "threatened you or the child": a child is involved
    children = view.wizard.pages[Step.CHILDREN]
    keys.mnemonic(children.choices[ChildDecision.REPORTED_NOW].text())
    keys.wait(lambda: session.state.child_decision is ChildDecision.REPORTED_NOW)
    keys.mnemonic(children.next_button.text())
    keys.wait_step(Step.SUPPORT)
    # nothing is ticked in advance: the trainee ticks social services, as the model run does
    support = view.wizard.support_page
    listed = [
        support.referrals.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(support.referrals.count())
    ]
    caption = next(
        label for label in support.findChildren(QLabel) if label.buddy() is support.referrals
    )
    keys.mnemonic(caption.text())
    keys.wait(support.referrals.hasFocus)
    keys.press(Qt.Key.Key_Home)
    for _row in range(listed.index("social_services")):
        keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Space)
    keys.wait(lambda: "social_services" in session.state.referrals)
    support.save_button.setFocus()
    keys.press(Qt.Key.Key_Return)  # Save screening
    keys.wait(lambda: view.stack.currentWidget() is view.feedback)

    assert view.feedback.heading.text() == "Score: 4 of 10"
    text = view.feedback.items.toPlainText()
    assert not IDENTIFIER.findall(text), "no field id or code in the feedback"
    assert text.count("✘ Missed") == 4
    assert 'What to do instead: Keep "high risk" ticked' in text
    assert text.index("✘ Missed") < text.index("✔ Passed"), "missed items come first"

    keys.mnemonic(area.tabs.tabText(1))  # Trainer view
    results = area.results
    keys.wait(lambda: results.missed.rowCount() == 7)
    top = results.missed.item_at(0)
    assert (top.scenario, top.missed, top.runs) == ("maintenance_threats", 1, 1)
    assert results.trainees.rowCount() == 1
    assert results.scenarios.data(results.scenarios.index(0, 0)) == (
        "Maintenance support and threats from the other parent"
    )
    out = tmp_path / "results.xlsx"
    results.export_to(out)
    keys.wait(out.exists)
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book["Per scenario"]["A2"].value == "maintenance_threats"
    assert store.records.count(RecordFilter(include_practice=True)) == 0


def test_discarding_starts_the_scenario_afresh(qtbot, area: PracticeArea) -> None:  # type: ignore[no-untyped-def]
    keys = Keys(qtbot, area)
    keys.choose("written_contact")
    view = keys.view
    keys.press(Qt.Key.Key_Return)
    keys.wait_step(Step.SAFETY)
    keys.ctrl(5)
    keys.wait(lambda: len(view.client.lines()) == 2)
    discard = view.wizard.discard_button
    first = discard.text()
    keys.mnemonic(first)
    keys.wait(lambda: discard.text() != first)  # armed: the second press discards
    keys.mnemonic(discard.text())
    keys.wait(lambda: view.wizard.session is None)
    assert len(view.client.lines()) == 1, "the conversation starts again"
    assert view.wizard.start_page.contact_buttons[
        next(c for c in view.wizard.start_page.contact_buttons if c.value == "written")
    ].isChecked()


def test_every_practice_input_has_an_accessible_name(area: PracticeArea) -> None:
    from PySide6.QtWidgets import QLineEdit, QListWidget, QPushButton, QTableView, QTextBrowser

    inputs: list[QWidget] = [
        widget
        for kind in (QLineEdit, QListWidget, QPushButton, QTableView, QTextBrowser)
        for widget in area.findChildren(kind)
    ]
    assert inputs
    for widget in inputs:
        assert heard_name(widget), type(widget).__name__


def test_the_main_window_has_a_practice_tab_marked_only_while_in_front(
    qtbot,
    store: Store,
    english: None,  # type: ignore[no-untyped-def]
) -> None:
    from app.ui.main_window import MainWindow

    window = MainWindow(store, Settings())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)
    title = window.windowTitle()
    keys = Keys(qtbot, window.practice)
    tabs = window.tabs
    assert "&Practice" in [tabs.tabText(i) for i in range(tabs.count())]
    tabs.tabBar().setFocus()
    keys.wait(tabs.tabBar().hasFocus)
    for _ in range(tabs.indexOf(window.practice) - tabs.currentIndex()):
        keys.press(Qt.Key.Key_Right)  # the tab bar has the focus
    assert tabs.currentWidget() is window.practice
    keys.choose("written_contact")
    assert window.windowTitle() == f"{practice_mark()} — {title}"
    tabs.tabBar().setFocus()
    keys.wait(tabs.tabBar().hasFocus)
    keys.press(Qt.Key.Key_Left)
    keys.wait(lambda: tabs.currentWidget() is not window.practice)
    assert window.windowTitle() == title, "another area in front: no practice marker"
    keys.press(Qt.Key.Key_Right)
    keys.wait(lambda: window.windowTitle() == f"{practice_mark()} — {title}")
    wait_for_tasks()
    window.practice.practice_store.close()


def test_the_trainer_view_can_be_left_out_for_trainees(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    practice = PracticeArea(store, Settings(), trainer_view=False)
    qtbot.addWidget(practice)
    assert practice.tabs.count() == 1
    assert practice.tabs.widget(0) is practice.stack
