"""What a screen reader reads, walked through ``QAccessible`` (the tree AT-SPI serves): in
both languages, every area, every step of a screening and every dialog names each control and
names each label by its text; after F12 nothing in the whole application's tree gives the app
away. The walk takes whatever is there, so new widgets are covered without being listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.accounts.session import Login
from app.i18n import set_language
from app.screening.session import Step
from app.settings import Settings
from app.ui.common import a11y
from app.ui.common.a11y import SENSITIVE_WORDS, naming_problems, sensitive_hits, tree_of, walk
from app.ui.main_window import MainWindow
from tests.ui.test_dialog_keyboard import _dialogs
from tests.ui.wizard.test_wizard_a11y import visit_every_step

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
LANGUAGES = ["sv", "en"]


def application_tree() -> list[a11y.Node]:
    """Everything an AT-SPI client reads below the application object."""
    root = QAccessible.queryAccessibleInterface(QApplication.instance())
    assert root is not None
    return list(walk(root))


def open_window(qtbot, store, login: Login | None = None) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(store, Settings(), login=login)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.on_screen)  # painted: F12 works from then on
    return window


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_area_names_its_controls_and_labels_by_their_text(
    qtbot, login: Login, language: str
) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    window = open_window(qtbot, login.store, login)
    problems: dict[str, list[str]] = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        nodes = tree_of(window)
        assert len(nodes) > 30
        found = naming_problems(nodes)
        if found:
            problems[window.tabs.tabText(index)] = found
    assert not problems, problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_step_of_a_screening_is_heard_as_it_is_shown(qtbot, store, language: str) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    window = open_window(qtbot, store)
    wizard = window.wizard
    problems: dict[str, list[str]] = {}
    for page in visit_every_step(qtbot, wizard):
        wizard.stack.setCurrentWidget(page)
        found = naming_problems(tree_of(window))
        if found:
            problems[page.title] = found
    assert not problems, problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_dialog_is_heard_as_it_is_shown(
    qtbot, login: Login, tmp_path: Path, language
) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    problems: dict[str, list[str]] = {}
    for name, make in _dialogs(login, tmp_path).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        found = naming_problems(tree_of(dialog))
        if found:
            problems[name] = found
        dialog.close()
    assert not problems, problems


def node_for(widget: QWidget) -> a11y.Node:
    return next(node for node in tree_of(widget) if node.widget is widget)


def test_step_question_number_and_guidance_are_read_as_shown_and_announced(
    qtbot, store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    announced: list[tuple[QWidget, str]] = []
    original = QAccessible.updateAccessibility

    def record(event) -> None:  # type: ignore[no-untyped-def]
        if event.type() == QAccessible.Event.Announcement:
            announced.append((event.object(), event.message()))
        original(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", record)
    window = open_window(qtbot, store)
    wizard = window.wizard
    wizard.start_from(wizard.start_page.values() | {"benefit": "maintenance_support"})
    assert (wizard.step_label, wizard.step_label.text()) in announced
    announced.clear()
    wizard.act(lambda s: s.set_can_talk_freely(True))  # the guidance changes: "ask now"
    guidance = wizard.safety_page.guidance
    assert node_for(guidance.text).name == guidance.text.text()
    assert node_for(guidance.text).description  # what it is for, after the text
    assert (guidance.title, guidance.title.text()) in announced
    assert (guidance.text, guidance.text.text()) in announced
    wizard.act(lambda s: s.begin_asking())
    wizard.act(lambda s: s.start_questions())
    page = wizard.pages[Step.QUESTIONS]
    position = node_for(page.position)
    assert position.name == page.position.text() != ""
    assert (page.position, page.position.text()) in announced
    assert node_for(page.question).name == page.question.text()


def test_answer_buttons_are_named_by_their_word_and_key(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, store)
    buttons = window.wizard.pages[Step.QUESTIONS].answer_buttons
    names = [node_for(button).name for button in buttons.values()]
    assert names == ["Ja (J)", "Nej (N)", "Vill inte svara (V)"]


def discreet_tree_problems(before: list[a11y.Node]) -> list[str]:
    after = application_tree()
    assert len(after) < 20, [node.path for node in after]
    assert len(before) > 10 * len(after)
    return sensitive_hits(after, SENSITIVE_WORDS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_f12_no_object_gives_the_app_away(qtbot, store, language: str) -> None:  # type: ignore[no-untyped-def]
    set_language(language)
    window = open_window(qtbot, store)
    for index in range(window.tabs.count()):  # every area built and filled
        window.tabs.setCurrentIndex(index)
    visit_every_step(qtbot, window.wizard)
    window.tabs.setCurrentWidget(window.wizard)
    qtbot.wait(50)  # the page laid out (its scroll bars as its size needs them)
    before = application_tree()
    assert sensitive_hits(before, SENSITIVE_WORDS), "the words are there to be hidden"
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F12)
    assert window.discreet.active
    assert discreet_tree_problems(before) == []
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F12)
    assert not window.discreet.active
    assert len(application_tree()) == len(before), "everything is back"


def test_after_f12_in_a_dialog_no_object_gives_the_app_away(
    qtbot, login: Login, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, login.store, login)
    dialog = _dialogs(login, tmp_path)["support sheet"]()
    dialog.setParent(window, dialog.windowFlags())
    results: list[list[str]] = []

    def inside() -> None:
        before = application_tree()
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_F12)
        results.append(discreet_tree_problems(before))
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_F12)
        results.append([] if len(application_tree()) == len(before) else ["not all back"])
        dialog.reject()

    QTimer.singleShot(0, inside)
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert results == [[], []]
