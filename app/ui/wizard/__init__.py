"""The handler's screening workflow: a page per step, keyboard first, autosaved.

``ScreeningWizard`` is imported on first use, so that a light part of the package (the
signed-in identity, :mod:`app.ui.wizard.identity`) does not bring the whole wizard in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.ui.wizard.wizard import ScreeningWizard

__all__ = ["ScreeningWizard"]


def __getattr__(name: str) -> Any:
    if name == "ScreeningWizard":
        from app.ui.wizard.wizard import ScreeningWizard

        return ScreeningWizard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
