"""Protocols: one YAML file per benefit and version in ``resources/protocols/``.

A protocol says when asking is routine for its benefit, and (extended by the
guidance issue) its indicators, script and consequences. Versions are kept side
by side; a record names the protocol id and version it was made with.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import UserError
from app.paths import resources_dir
from app.screening.enums import CaseType, Mode

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class LocalText(BaseModel):
    """A text in Swedish and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.sv


class RoutineWhen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    case_type: list[CaseType] = Field(min_length=1)


class ModeRule(BaseModel):
    """``default`` applies unless a ``routine_when`` condition holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    default: Mode
    routine_when: RoutineWhen | None = None


class Protocol(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1, max_length=20)
    benefit: str = Field(pattern=ID_PATTERN)
    name: LocalText
    mode: ModeRule

    @property
    def needs_case_type(self) -> bool:
        return self.mode.routine_when is not None

    def mode_for(self, case_type: CaseType | None) -> Mode:
        rule = self.mode.routine_when
        if rule is not None and case_type in rule.case_type:
            return Mode.ROUTINE
        return self.mode.default


class ProtocolSet:
    """Every protocol version on disk, by benefit and by (id, version)."""

    def __init__(self, protocols: list[Protocol]) -> None:
        self._by_key = {(p.id, p.version): p for p in protocols}
        self._latest: dict[str, Protocol] = {}
        for protocol in sorted(protocols, key=lambda p: _version_key(p.version)):
            self._latest[protocol.benefit] = protocol

    def benefits(self) -> list[str]:
        return sorted(self._latest)

    def latest(self, benefit: str) -> Protocol:
        try:
            return self._latest[benefit]
        except KeyError:
            raise UserError(
                f"Unknown benefit {benefit!r}; known benefits: {', '.join(self.benefits())}."
            ) from None

    def get(self, protocol_id: str, version: str) -> Protocol | None:
        return self._by_key.get((protocol_id, version))

    def all(self) -> list[Protocol]:
        return list(self._by_key.values())


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


def protocols_dir() -> Path:
    return resources_dir() / "protocols"


def load_protocol_file(path: Path) -> Protocol:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Protocol.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as error:
        raise UserError(f"{path}: not a valid protocol: {error}") from None


@cache
def protocol_set(directory: Path | None = None) -> ProtocolSet:
    folder = directory or protocols_dir()
    return ProtocolSet([load_protocol_file(path) for path in sorted(folder.glob("*.yaml"))])
