"""Support information: the closing line, the suggested referrals, "information given".

Nothing starts ticked: the handler ticks the referrals made and the information given
(issue 13). Giving the support sheet (printed, saved or read aloud) is an action, so it
ticks "information given" and the entries on the sheet: the ticked ones, or the
suggested ones when none are ticked yet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QListWidgetItem, QWidget

from app.i18n import _
from app.screening.session import Session
from app.ui.wizard.common import Page, ScriptBox, button
from app.ui.wizard.referrals import ReferralOption
from app.ui.wizard.support_sheet import SupportSheetDialog, unverified_text
from app.ui.wizard.texts import script_language


class SupportPage(Page):
    def __init__(self, wizard, parent: QWidget | None = None) -> None:
        super().__init__(_("Support information"), parent)
        self.wizard = wizard
        self._updating = False
        self._suggested: list[str] = []
        self.closing = ScriptBox(self.body, factor=1.2)
        self.body_layout.addWidget(self.closing)
        self.referrals = QListWidget(self.body)
        self.referrals.setAccessibleName(_("Support to refer to"))
        self.referrals.setWordWrap(True)
        self.referrals.setMinimumHeight(self.referrals.fontMetrics().lineSpacing() * 10)
        self.referrals.itemChanged.connect(self._item_changed)
        caption = QLabel(_("Refer &to (suggested first; Space ticks):"), self.body)
        caption.setBuddy(self.referrals)
        self.body_layout.addWidget(caption)
        self.body_layout.addWidget(self.referrals, 1)
        self.info_given = QCheckBox(_("Support informatio&n given"), self.body)
        self.info_given.setAccessibleName(_("Support information given"))
        self.info_given.toggled.connect(
            lambda on: self.act(lambda s: s.set_info_given(on), quiet=True)
        )
        self.body_layout.addWidget(self.info_given)
        self.sheet_button = button(
            _("Print a support s&heet …"), _("Print a support sheet"), self.open_sheet, self.body
        )
        self.body_layout.addWidget(self.sheet_button)
        self.back_button = button(_("&Back"), _("Back"), lambda: self.act(lambda s: s.back()), self)
        self.save_button = button(
            _("Sa&ve screening"), _("Save screening"), self.wizard.save, self, primary=True
        )
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.save_button)

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._updating:
            return
        entry_id = item.data(Qt.ItemDataRole.UserRole)
        chosen = item.checkState() == Qt.CheckState.Checked
        self.act(lambda s: s.set_referral(entry_id, chosen), quiet=True)

    def show_options(self, session: Session, options: list[ReferralOption]) -> None:
        self._updating = True
        try:
            language = script_language(session.state.start.language)
            self.closing.set_text(session.protocol.script.closing.get(language))
            self.referrals.clear()
            self._suggested = [option.entry_id for option in options if option.suggested]
            chosen = set(session.state.referrals)
            for option in options:
                text = option.name
                if option.phone and option.phone not in option.name:
                    text += f" – {option.phone}"
                if option.reason:
                    text += "\n" + option.reason
                if option.unverified:
                    text = unverified_text(text)
                item = QListWidgetItem(text, self.referrals)
                item.setData(Qt.ItemDataRole.UserRole, option.entry_id)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                checked = option.entry_id in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            if self.referrals.count():
                self.referrals.setCurrentRow(0)
            self.info_given.setChecked(session.state.info_given)
        finally:
            self._updating = False

    def show_session(self, session: Session) -> None:
        self.info_given.setChecked(session.state.info_given)

    def open_sheet(self) -> None:
        """The support sheet for the ticked entries, in the person's language when there is one."""
        session = self.wizard.session
        if session is None:
            return
        directory = self.wizard.directory
        ids = session.state.referrals or self._suggested
        entries = [directory[i] for i in ids if i in directory]
        dialog = SupportSheetDialog(
            entries,
            session.state.start.contact,
            self,
            language=session.state.start.language,
            unverified=self.wizard.unverified(),
        )
        dialog.exec()
        if dialog.info_given:
            self.info_given.setChecked(True)
            given = set(dialog.chosen_ids())
            for row in range(self.referrals.count()):
                item = self.referrals.item(row)
                if item.data(Qt.ItemDataRole.UserRole) in given:
                    item.setCheckState(Qt.CheckState.Checked)

    def focus_first(self) -> None:
        self.save_button.setFocus()
