"""Run by test_wizard_drafts: a handler mid-screening, autosaved, until the process is killed.

python -m tests.ui.wizard.wizard_crash_script DATA_DIR
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.i18n import set_language
from app.screening.session import Reply
from app.settings import Settings
from app.storage.engine import resolve_location
from app.storage.store import open_store
from app.ui.common.tasks import wait_for_tasks
from app.ui.wizard import ScreeningWizard


def settle(app: QApplication, wizard: ScreeningWizard) -> None:
    while wizard.writer.busy:
        wait_for_tasks()
        app.processEvents()


def main() -> None:
    app = QApplication(sys.argv[:1])
    set_language("sv")
    store = open_store(resolve_location(sys.argv[1]))
    wizard = ScreeningWizard(store, Settings())
    settle(app, wizard)
    values = wizard.start_page.values()
    wizard.start_from(values | {"benefit": "maintenance_support", "case_reference": "DEMO-000321"})
    wizard.act(lambda s: s.set_can_talk_freely(True))
    wizard.act(lambda s: s.begin_asking())
    wizard.act(lambda s: s.start_questions())
    for reply in (Reply.NO, Reply.NO, Reply.YES):
        wizard.act(lambda s, r=reply: s.reply(r))
    settle(app, wizard)
    assert wizard.session is not None
    print("READY", wizard.session.state.id, flush=True)
    sys.stdin.read()  # wait here until the test kills the process


if __name__ == "__main__":
    main()
