"""Render the main views offscreen with demo data into docs/screenshots/*.png.

    .venv/bin/python -m scripts.screenshots [--out docs/screenshots] [--language sv]

Each view registers a function in ``SHOTS``: it gets the main window (already
filled with synthetic demo data) and the output folder, and saves PNGs there.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from app.i18n import set_language
from app.screening.demo import DemoGenerator
from app.screening.enums import ChildDecision, Contact, DangerAction
from app.screening.guidance import Presence
from app.settings import Settings
from app.storage.engine import resolve_location
from app.storage.repository import row_values_from_json
from app.storage.store import Store, open_store
from app.ui.app import create_application
from app.ui.common.qt_language import install_qt_translations
from app.ui.common.tasks import wait_for_tasks
from app.ui.main_window import MainWindow

Shot = Callable[[MainWindow, Path], None]
SHOTS: list[tuple[str, Shot]] = []


def shot(name: str) -> Callable[[Shot], Shot]:
    def register(function: Shot) -> Shot:
        SHOTS.append((name, function))
        return function

    return register


def settle(app: QApplication | None = None) -> None:
    """Let background loads finish and the widgets repaint."""
    application = app or QApplication.instance()
    assert isinstance(application, QApplication)
    for _ in range(5):
        wait_for_tasks()
        application.processEvents()


def save(widget: QWidget, path: Path) -> None:
    settle()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


@shot("records")
def records_view(window: MainWindow, out: Path) -> None:
    window.tabs.setCurrentWidget(window.records_page)
    save(window, out / "records.png")


@shot("wizard")
def wizard_steps(window: MainWindow, out: Path) -> None:
    """Each step of the screening wizard (issue 4): wizard-<step>.png."""
    from app.screening.protocols import Flag, Question
    from app.screening.session import Reply, Step

    wizard = window.wizard
    window.tabs.setCurrentWidget(wizard)
    wizard.fresh_start()
    save(window, out / "wizard-start.png")
    values = wizard.start_page.values() | {
        "benefit": "sickness_benefit",
        "case_type": "return_to_work_investigation",
        "case_reference": "DEMO-000123",
    }
    wizard.start_from(values)
    wizard.act(lambda s: s.set_can_talk_freely(False))
    save(window, out / "wizard-safety-wait.png")
    wizard.act(lambda s: s.decide_not_to_ask())
    save(window, out / "wizard-not-asked.png")
    wizard.act(lambda s: s.back())
    wizard.act(lambda s: s.set_can_talk_freely(True))
    save(window, out / "wizard-safety-ask.png")
    wizard.act(lambda s: s.begin_asking())
    save(window, out / "wizard-opening.png")
    wizard.act(lambda s: s.start_questions())
    save(window, out / "wizard-question.png")
    session = wizard.session
    assert session is not None

    def chain(questions: list[Question], flag: Flag) -> list[str]:
        for question in questions:
            if flag in question.sets:
                return [question.id]
            below = chain(question.follow_ups, flag)
            if below:
                return [question.id, *below]
        return []

    script = session.protocol.script.questions
    yes = {script[0].id, *chain(script, Flag.CHILDREN_AFFECTED)}
    yes.add("immediate_danger")
    follow_up_shown = False
    while session.step in (Step.QUESTIONS, Step.DANGER):
        top = {question.id for question in script}
        current = session.current_question
        if current is not None and current.id not in top and not follow_up_shown:
            follow_up_shown = True  # "Question 1a of 10", with the answers so far beside
            save(window, out / "wizard-question-follow-up.png")
        if session.step is Step.DANGER:
            save(window, out / "wizard-danger.png")
            wizard.act(lambda s: s.set_danger_action(DangerAction.HELPED_PERSON_CALL_112, True))
            wizard.act(lambda s: s.resume_questions())
            continue
        question = session.current_question
        assert question is not None
        reply = Reply.YES if question.id in yes else Reply.NO
        wizard.act(lambda s, r=reply: s.reply(r))  # type: ignore[misc]
    save(window, out / "wizard-outcome.png")
    wizard.act(lambda s: s.confirm_outcome())
    save(window, out / "wizard-children.png")
    wizard.act(lambda s: s.set_child_decision(ChildDecision.REPORTED_NOW))
    wizard.act(lambda s: s.confirm_children())
    save(window, out / "wizard-support.png")
    support_sheet_dialog(wizard, out)
    wizard.save()
    settle()
    save(window, out / "wizard-saved.png")
    # On indication, in person with a representative and no sign marked: why Ask is off.
    wizard.start_from(
        wizard.start_page.values()
        | {"benefit": "activity_compensation", "case_type": None, "contact": Contact.IN_PERSON}
    )
    wizard.act(lambda s: s.set_presence(Presence.REPRESENTATIVE, True))
    save(window, out / "wizard-safety-not-required.png")
    wizard.discard()
    wizard.discard()
    window.tabs.setCurrentWidget(window.my_screenings)
    window.my_screenings.refresh()
    settle()
    window.my_screenings.open_current()
    save(window, out / "my-screenings.png")
    window.discreet.enter()
    save(window, out / "discreet.png")
    window.discreet.leave()


def support_sheet_dialog(wizard: QWidget, out: Path) -> None:
    """The support sheet as the person takes it home (discreet), with an unverified entry."""
    from app.ui.wizard.support_sheet import SupportSheetDialog

    directory = wizard.directory  # type: ignore[attr-defined]
    ids = ["kvinnofridslinjen", "police_emergency", "suicide_prevention_line"]
    dialog = SupportSheetDialog(
        [directory[i] for i in ids],
        Contact.IN_PERSON,
        wizard,
        unverified=wizard.unverified(),  # type: ignore[attr-defined]
    )
    dialog.resize(720, 820)
    dialog.show()
    save(dialog, out / "support-sheet.png")
    dialog.close()


@shot("everyone")
def everyone_views(window: MainWindow, out: Path) -> None:
    """Issue 19's views for everyone: the sign-in at work, the settings, the question
    before leaving a screening, and a trainer's Records tab saying why it is empty."""
    from app.accounts.access import Principal, Role
    from app.accounts.services import RecordService
    from app.ui.common.records_page import RecordsPage
    from app.ui.common.settings_dialog import SettingsDialog
    from app.ui.login import LoginDialog

    login = LoginDialog(window.store.location, window)
    login.username.setText("demo-h01")
    login.password.setText("x" * 12)
    login.show()
    login.sign_in()  # the picture is taken while it works, before the answer comes
    login.working.setValue(18)  # as it looks a moment later
    QApplication.processEvents()
    login.grab().save(str(out / "login-signing-in.png"))
    print(f"wrote {out / 'login-signing-in.png'}")
    settle()
    login.close()
    dialog = SettingsDialog(window.settings, window)
    dialog.show()
    save(dialog, out / "settings.png")
    dialog.close()
    wizard = window.wizard
    window.tabs.setCurrentWidget(wizard)
    wizard.start_from(wizard.start_page.values() | {"benefit": "maintenance_support"})
    window.ask_to_leave(window.areas.index_of("records"))
    settle()
    box = window.leave_question
    assert box is not None
    save(box, out / "leave-screening.png")
    box.reject()
    wizard.discard()
    wizard.discard()  # the second press confirms
    trainer = Principal("demo-trainer", frozenset({Role.TRAINER}))
    page = RecordsPage(window.store, service=RecordService(window.store, trainer))
    page.resize(900, 300)
    page.show()
    page.refresh()
    save(page, out / "records-trainer.png")
    page.close()


@shot("statistics")
def statistics_views(window: MainWindow, out: Path) -> None:
    """The statistics tab (issue 19): the key figures, and the trend with its gaps."""
    window.tabs.setCurrentWidget(window.stats_tab)
    settle()
    board = window.stats_tab.dashboard
    assert board is not None
    while board.data is None or board._loading:  # the parts come back one by one
        settle()
    save(window, out / "statistics.png")
    trend = board.trend_chart.parentWidget()
    assert trend is not None
    board.views.setCurrentWidget(trend)
    save(window, out / "statistics-trend.png")
    board.views.setCurrentWidget(board.key_figures)


@shot("audit")
def audit_page(window: MainWindow, out: Path) -> None:
    """The administrator's audit page (issue 19) on a demo store: the entries, and the
    history of the record the selected entry concerns."""
    from app.accounts.demo import DEMO_USERS, create_demo_store
    from app.accounts.services import RecordService
    from app.accounts.session import unlock
    from app.storage.repository import RecordFilter
    from app.ui.admin.page import AdminPage

    with tempfile.TemporaryDirectory() as temporary:
        location = create_demo_store(Path(temporary), records=200)
        with unlock(location, "demo-h01", DEMO_USERS["demo-h01"][0]) as handler:
            service = RecordService(handler.store, handler.principal)
            mine = handler.store.records.query(RecordFilter(handler="demo-h01"), limit=3)
            for record in [*mine, mine[0]]:
                service.get(record.id)
        with unlock(location, "demo-admin", DEMO_USERS["demo-admin"][0]) as login:
            admin = AdminPage(login, Settings())
            admin.resize(window.size())
            admin.setCurrentWidget(admin.audit_page)
            admin.show()
            settle()
            audit = admin.audit_page
            audit.table.setFocus()
            row = next(r for r in range(audit.model.rowCount()) if audit.model.item_at(r).record_id)
            audit.table.selectRow(row)
            save(admin, out / "audit.png")
            admin.close()
            settle()


def demo_store(folder: Path, count: int = 4000) -> Store:
    store = open_store(resolve_location(folder))
    generator = DemoGenerator(seed=3)
    store.records.insert_many_unchecked(row_values_from_json(d) for d in generator.many(count))
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    parser.add_argument("--language", default="sv", choices=("sv", "en"))
    parser.add_argument("--only", help="render only the shots whose name contains this")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        os.environ["VAGAFRAGA_CONFIG_DIR"] = str(Path(temporary) / "config")
        app = create_application()
        set_language(args.language)
        install_qt_translations(app, args.language)
        store = demo_store(Path(temporary) / "data")
        window = MainWindow(store, Settings())
        window.resize(1200, 800)
        window.show()
        settle(app)
        for name, function in SHOTS:
            if args.only and args.only not in name:
                continue
            function(window, args.out)
        window.close()
        settle(app)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
