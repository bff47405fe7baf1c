"""Equality: asking rates side by side by client sex, interpreter use and language.

For each asking rate (routine; on indication) the groups' rates are shown with their
95 % Wilson intervals, and a test says whether the groups differ more than chance
would explain: Pearson's chi-square test of independence on the asked / not asked
table, or Fisher's exact test for a 2×2 table with an expected count below 5.
The answer is one plain, translated sentence.

The population is the opportunities where asking was possible (``"population":
"asking_possible"``): an opportunity not asked for a reason the safety rules impose
(:data:`app.stats.metrics.BLOCKING_REASONS`: not alone, an interpreter who is a relative,
a written contact, ...) is left out, or a group that the rules block by design (a
relative as interpreter) would look unequally treated. Each group shows how many of
its opportunities were blocked (``routine_blocked``, ``indication_blocked``) beside.

Client sex compares women and men (the agency's statistics use legal sex); records
with unknown sex are shown but left out of the test. Groups without opportunities are
left out of the test too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.errors import UserError
from app.i18n import N_, _, babel_locale, current_language
from app.screening.enums import ClientSex, Interpreter
from app.screening.labels import client_sex_label, interpreter_label
from app.stats.filters import StatsFilter
from app.stats.metrics import RATES, Metrics
from app.stats.service import StatsResult, StatsService
from app.stats.significance import chi_square, fisher_exact

EQUALITY_DIMENSIONS = ("client_sex", "interpreter", "language")
POPULATION = "asking_possible"
_BLOCKED = {
    "routine_asking_rate": "routine_blocked",
    "indication_asking_rate": "indication_blocked",
}
MEASURES = ("routine_asking_rate", "indication_asking_rate")
ALPHA = 0.05
DIMENSION_TITLES = {
    "client_sex": N_("Client sex"),
    "interpreter": N_("Interpreter use"),
    "language": N_("Language"),
}
_MEASURE_TITLES = {
    "routine_asking_rate": N_("Routine asking"),
    "indication_asking_rate": N_("Asking on indication"),
}
_COMPARISONS = {
    "client_sex": N_("between women and men"),
    "interpreter": N_("with interpreter use"),
    "language": N_("between languages"),
}
_DIFFERS = N_("{measure} differs {comparison} more than chance would explain ({p}).")
_SAME = N_("{measure} differs {comparison} no more than chance would explain ({p}).")
_TOO_FEW = N_("{measure} cannot be compared {comparison}: fewer than two groups have records.")


@dataclass(frozen=True)
class EqualityGroup:
    """One group; ``metrics`` are over the opportunities where asking was possible."""

    value: str
    label: str
    metrics: Metrics


@dataclass(frozen=True)
class EqualityTest:
    measure: str
    method: str | None  # "chi_square", "fisher_exact", or None when there is nothing to test
    statistic: float | None
    p_value: float | None
    compared: tuple[str, ...]
    sentence: str

    @property
    def significant(self) -> bool | None:
        return None if self.p_value is None else self.p_value < ALPHA


@dataclass(frozen=True)
class EqualityResult:
    dimension: str
    groups: list[EqualityGroup]
    tests: list[EqualityTest]

    def to_json(self) -> dict[str, Any]:
        groups = []
        for group in self.groups:
            block: dict[str, Any] = {"key": {self.dimension: group.value}, "label": group.label}
            full = group.metrics.as_dict()
            for measure in MEASURES:
                numerator, denominator = RATES[measure]
                for name in (denominator, numerator, measure, f"{measure}_ci", _BLOCKED[measure]):
                    block[name] = full[name]
            groups.append(block)
        tests = [
            {
                "measure": test.measure,
                "method": test.method,
                "statistic": test.statistic,
                "p_value": test.p_value,
                "significant": test.significant,
                "groups_compared": list(test.compared),
                "sentence": test.sentence,
            }
            for test in self.tests
        ]
        return {
            "dimension": self.dimension,
            "population": POPULATION,
            "groups": groups,
            "tests": tests,
        }


def value_label(dimension: str, value: str) -> str:
    """The group's name in the current language."""
    if dimension == "client_sex" and value in ClientSex.__members__.values():
        return client_sex_label(ClientSex(value))
    if dimension == "interpreter" and value in Interpreter.__members__.values():
        return interpreter_label(Interpreter(value))
    if dimension == "language":
        name = babel_locale().languages.get(value)
        return name if name else value
    return value


def format_p(p_value: float) -> str:
    from babel.numbers import format_decimal

    locale = babel_locale(current_language())
    if p_value < 0.001:
        return "p < " + format_decimal(0.001, "0.000", locale=locale)
    return "p = " + format_decimal(p_value, "0.000", locale=locale)


def compare_groups(table: Sequence[tuple[int, int]]) -> tuple[str | None, float | None, float]:
    """(method, statistic, p) for rows of (asked, not asked); p = 1 when all rates agree."""
    column_sums = [sum(row[0] for row in table), sum(row[1] for row in table)]
    if 0 in column_sums:
        return None, None, 1.0  # every group asked all, or none: no difference at all
    total = sum(column_sums)
    expected = [sum(row) * column / total for row in table for column in column_sums]
    if len(table) == 2 and min(expected) < 5:
        return "fisher_exact", None, fisher_exact(table)
    statistic, p_value = chi_square(table)
    return "chi_square", statistic, p_value


def _test(dimension: str, measure: str, groups: list[EqualityGroup]) -> EqualityTest:
    numerator, denominator = RATES[measure]
    rows = [
        group
        for group in groups
        if group.metrics.count(denominator) > 0
        and not (dimension == "client_sex" and group.value == ClientSex.UNKNOWN.value)
    ]
    words = {"measure": _(_MEASURE_TITLES[measure]), "comparison": _(_COMPARISONS[dimension])}
    compared = tuple(group.value for group in rows)
    if len(rows) < 2:
        return EqualityTest(measure, None, None, None, compared, _(_TOO_FEW).format(**words))
    table = [
        (
            group.metrics.count(numerator),
            group.metrics.count(denominator) - group.metrics.count(numerator),
        )
        for group in rows
    ]
    method, statistic, p_value = compare_groups(table)
    template = _DIFFERS if p_value < ALPHA else _SAME
    sentence = _(template).format(p=format_p(p_value), **words)
    return EqualityTest(measure, method, statistic, p_value, compared, sentence)


def equality_from(result: StatsResult) -> EqualityResult:
    """The equality view of a result grouped by one equality dimension."""
    if len(result.by) != 1 or result.by[0] not in EQUALITY_DIMENSIONS:
        raise UserError(
            _("Equality is shown by one of: {choices}.").format(
                choices=", ".join(EQUALITY_DIMENSIONS)
            )
        )
    dimension = result.by[0]
    groups = [
        EqualityGroup(
            group.key[dimension],
            value_label(dimension, group.key[dimension]),
            group.metrics.asking_possible(),
        )
        for group in result.groups
    ]
    return EqualityResult(dimension, groups, [_test(dimension, m, groups) for m in MEASURES])


def equality(
    service: StatsService, flt: StatsFilter, dimensions: Sequence[str] = EQUALITY_DIMENSIONS
) -> list[EqualityResult]:
    """The equality view for each dimension, counted in one statement."""
    for dimension in dimensions:
        if dimension not in EQUALITY_DIMENSIONS:
            raise UserError(
                _("Equality is shown by one of: {choices}.").format(
                    choices=", ".join(EQUALITY_DIMENSIONS)
                )
            )
    results = service.run_many(flt, [(dimension,) for dimension in dimensions], medians=False)
    return [equality_from(result) for result in results]
