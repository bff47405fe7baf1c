"""The support directory tab: every entry, which need verification, local entries edited.

Shipped entries come with the app; an administrator adds the team's local entries
(or corrects a national one) here or by importing a file. Changes are written to
``<data_dir>/referrals/local.yaml`` at once, atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, ValidationProblems
from app.i18n import _, current_language, ngettext
from app.referrals.directory import Directory, DirectoryEntry, Source, stockholm_today
from app.referrals.local import (
    ImportOutcome,
    import_file,
    load_directory,
    remove_entry,
    save_entry,
)
from app.settings import DIRECTORY_MAX_AGE_DAYS, Settings
from app.ui.admin.directory_form import DirectoryEntryDialog
from app.ui.admin.directory_model import DirectoryTableModel
from app.ui.common.a11y import describe

Write = Callable[[str | None], Sequence[str]]  # a change written (under its id, if any)
Audited = Callable[[str, Write], None]  # (action, write): the change and its audit entries


def _unaudited(_action: str, write: Write) -> None:
    """Not signed in (tests, screenshots): the change alone."""
    write(None)


class DirectoryPage(QWidget):
    # (saved / removed / imported, entry id), once written (and audited, when signed in)
    changed = Signal(str, str)

    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        audited: Audited | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        # signed in: each change is written with its audit entries (app.accounts.directory_changes)
        self._audited: Audited = audited or _unaudited
        self._settings = settings
        self.directory = Directory([])
        self.model = DirectoryTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Support directory entries"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        describe(self.status, _("Directory status"))

        self.add_button = self._button(_("Add &local entry …"), _("Add a local entry"), self.add)
        self.edit_button = self._button(
            _("&Edit …"), _("Edit the selected entry"), self.edit_selected
        )
        self.verified_button = self._button(
            _("Mark as &verified today"),
            _("Mark the selected entry as verified today"),
            self.mark_verified,
        )
        self.remove_button = self._button(
            _("Remove local entr&y"), _("Remove the selected local entry"), self.remove_selected
        )
        self.import_button = self._button(
            _("Imp&ort from file …"), _("Import local entries from a file"), self.import_from_file
        )
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.verified_button,
            self.remove_button,
            self.import_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()

    def _button(self, text: str, description: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)  # named by its text (app.ui.common.a11y)
        describe(button, description)
        button.clicked.connect(slot)
        return button

    def max_age_days(self) -> int:
        return self._settings.get(DIRECTORY_MAX_AGE_DAYS)

    def refresh(self, select_id: str | None = None, message: str = "") -> None:
        """Reload the merged directory; ``message`` says what just happened."""
        problem = ""
        try:
            self.directory = load_directory(self._data_dir)
        except UserError as error:
            problem = _("The local directory file has problems: {message}").format(
                message=error.message
            )
            self.directory = load_directory(None)
        self.model.set_directory(self.directory, stockholm_today(), self.max_age_days())
        stale = self.model.stale_count()
        summary = ngettext("{count} entry", "{count} entries", len(self.directory)).format(
            count=len(self.directory)
        )
        if stale:
            summary += " · " + ngettext(
                "{count} needs verification", "{count} need verification", stale
            ).format(count=stale)
        self.status.setText(" ".join(part for part in (message, problem or summary) if part))
        if select_id is not None and (row := self.model.row_of(select_id)) >= 0:
            self.table.selectRow(row)
        self._selection_changed()

    def selected(self) -> DirectoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry_at(rows[0].row()) if rows else None

    def _selection_changed(self) -> None:
        entry = self.selected()
        self.edit_button.setEnabled(entry is not None)
        self.verified_button.setEnabled(entry is not None)
        local = entry is not None and self.directory.source(entry.id) is not Source.SHIPPED
        self.remove_button.setEnabled(local)

    def _save(self, entry: DirectoryEntry, message: str) -> None:
        try:

            def write(change: str | None) -> list[str]:
                save_entry(self._data_dir, entry, change=change)
                return [entry.id]

            self._audited("saved", write)
        except UserError as error:
            self._show_error(error)
            return
        self.changed.emit("saved", entry.id)
        self.refresh(select_id=entry.id, message=message)

    def _open_form(self, entry: DirectoryEntry | None) -> DirectoryEntry | None:
        dialog = DirectoryEntryDialog(self.directory, entry, self)
        if dialog.exec() and dialog.entry is not None:
            return dialog.entry
        return None

    def add(self) -> None:
        entry = self._open_form(None)
        if entry is not None:
            self._save(entry, _("Saved."))

    def edit_selected(self) -> None:
        current = self.selected()
        if current is None:
            return
        entry = self._open_form(current)
        if entry is not None:
            self._save(entry, _("Saved."))

    def mark_verified(self) -> None:
        current = self.selected()
        if current is None:
            return
        updated = current.model_copy(update={"last_verified": stockholm_today()})
        self._save(updated, _("Marked as verified today."))

    def remove_selected(self) -> None:
        current = self.selected()
        if current is None or self.directory.source(current.id) is Source.SHIPPED:
            return
        name = current.name.get(current_language())
        answer = QMessageBox.question(
            self,
            _("Remove local entry"),
            _("Remove the local entry {name}?").format(name=name)
            if self.directory.source(current.id) is Source.LOCAL
            else _("Remove the local version of {name}? The shipped entry comes back.").format(
                name=name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:

            def write(change: str | None) -> list[str]:
                remove_entry(self._data_dir, current.id, change=change)
                return [current.id]

            self._audited("removed", write)
        except UserError as error:
            self._show_error(error)
            return
        self.changed.emit("removed", current.id)
        self.refresh(message=_("Removed."))

    def import_from_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import local entries"), "", _("Directory files (*.yaml *.yml)")
        )
        if not path:
            return
        imported: list[ImportOutcome] = []

        def write(change: str | None) -> tuple[str, ...]:
            imported.append(
                import_file(self._data_dir, Path(path), display_name=Path(path).name, change=change)
            )
            return imported[0].entry_ids

        try:
            self._audited("imported", write)
        except UserError as error:
            self._show_error(error)
            return
        outcome = imported[0]
        for entry_id in outcome.entry_ids:
            self.changed.emit("imported", entry_id)
        self.refresh(
            message=_("Imported: {added} added, {replaced} replaced.").format(
                added=outcome.added, replaced=outcome.replaced
            )
        )

    def _show_error(self, error: UserError) -> None:
        self.last_error = error
        box = QMessageBox(
            QMessageBox.Icon.Warning, _("Nothing was changed"), error.message, parent=self
        )
        if isinstance(error, ValidationProblems):
            box.setDetailedText("\n".join(error.problems))
        box.setAccessibleName(_("Nothing was changed"))
        box.open()
        self.error_box = box
