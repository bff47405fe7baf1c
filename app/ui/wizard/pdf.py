"""Printing and PDF files for the wizard's documents (the support sheet, the child-concern
report draft): one A4 page in DejaVu Sans (shipped in ``resources/fonts``, so Arabic prints
on every computer); right-to-left documents get right-to-left, right-aligned blocks.

A PDF is offered in the handler's documents folder (or the folder used last), never in
the app's own folder.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, QStandardPaths, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.errors import UserError
from app.i18n import _
from app.paths import resources_dir

log = logging.getLogger(__name__)

MARGIN_MM = 18.0
POINT_SIZES = (11.0, 10.0, 9.0, 8.0, 7.0)
_family: str | None = None
DocumentBuilder = Callable[[float], QTextDocument]


def document_font_family() -> str:
    """The shipped DejaVu Sans, registered once with the application."""
    global _family  # noqa: PLW0603 - one font registration per process
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(
            str(resources_dir() / "fonts" / "DejaVuSans.ttf")
        )
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("shipped font not loaded; using the system's DejaVu Sans if any")
        _family = families[0] if families else "DejaVu Sans"
    return _family


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def make_document(body_html: str, point_size: float, right_to_left: bool) -> QTextDocument:
    document = QTextDocument()
    font = QFont(document_font_family())
    font.setPointSizeF(point_size)
    document.setDefaultFont(font)
    document.setHtml(body_html)
    if right_to_left:
        option = QTextOption()
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        document.setDefaultTextOption(option)
        cursor = QTextCursor(document)
        cursor.select(QTextCursor.SelectionType.Document)
        block = QTextBlockFormat()
        block.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        block.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        cursor.mergeBlockFormat(block)
    return document


def _a4(device: QPagedPaintDevice) -> None:
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    device.setPageMargins(margins, QPageLayout.Unit.Millimeter)


def render(build: DocumentBuilder, device: QPagedPaintDevice) -> int:
    """Draw on ``device``, shrinking the text until it fits one page if it can; page count."""
    rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
    page = QSizeF(rect.width(), rect.height())
    for size in POINT_SIZES:
        document = build(size)
        document.documentLayout().setPaintDevice(device)
        document.setPageSize(page)
        if document.pageCount() == 1:
            break
    painter = QPainter()
    if not painter.begin(device):
        raise UserError(_("The printer or the file could not be opened; nothing was printed."))
    try:
        for number in range(document.pageCount()):
            if number:
                device.newPage()
            top = number * page.height()
            painter.save()
            painter.translate(0, -top)
            document.drawContents(painter, QRectF(0, top, page.width(), page.height()))
            painter.restore()
    finally:
        painter.end()
    return document.pageCount()


def write_pdf(build: DocumentBuilder, path: Path, title: str) -> int:
    """Write a PDF to ``path`` (through a temporary file); returns the page count."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.open("wb").close()  # fail early, with a reason, when the folder is not writable
    except OSError as error:
        raise UserError(
            _("{name}: cannot be written ({reason})").format(name=path.name, reason=error.strerror)
        ) from None
    writer = QPdfWriter(str(partial))
    writer.setResolution(300)
    writer.setTitle(title)
    # No creator: the file's properties must not name the app (someone else may look).
    _a4(writer)
    try:
        pages = render(build, writer)
        del writer
        partial.replace(path)
    except (OSError, UserError) as error:
        partial.unlink(missing_ok=True)
        reason = error.strerror if isinstance(error, OSError) else error.message
        raise UserError(
            _("{name}: cannot be written ({reason})").format(name=path.name, reason=reason)
        ) from None
    return pages


def print_with_dialog(build: DocumentBuilder, parent: QWidget) -> bool:
    """Ask for a printer and print; False when the handler cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _a4(printer)
    if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
        return False
    render(build, printer)
    return True


_last_folder: Path | None = None  # the folder a PDF was last saved in (this run)


def pdf_folder() -> Path:
    """Where the save dialog opens: the folder used last, else the user's documents."""
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def choose_pdf_path(parent: QWidget, title: str, file_name: str) -> Path | None:
    """Ask where to save a PDF (``None``: cancelled); ``.pdf`` is added when missing."""
    global _last_folder  # noqa: PLW0603 - one remembered folder per app run
    path, _filter = QFileDialog.getSaveFileName(
        parent, title, str(pdf_folder() / file_name), _("PDF files (*.pdf)")
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    _last_folder = target.parent
    return target
