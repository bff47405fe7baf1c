"""The handler's screening workflow: a page per step, keyboard first, autosaved."""

from app.ui.wizard.wizard import ScreeningWizard

__all__ = ["ScreeningWizard"]
