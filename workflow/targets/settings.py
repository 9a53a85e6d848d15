"""The numbers the projection and "stuck" use: ``hoso.toml``, table ``[targets]``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from workflow.settings_check import section
from workflow.states import State
from workflow.targets.names import PIPELINE_STATES


@dataclass(frozen=True)
class TargetSettings:
    """The projection's and "stuck"'s numbers (``hoso.toml``, table ``[targets]``)."""

    #: Share of the cases in each pipeline state expected to be admitted by the year's end.
    conversion: Mapping[str, Fraction] = field(
        default_factory=lambda: {
            State.dossier_submitted: Fraction(1),
            State.returned: Fraction(1, 2),
            State.trained: Fraction(1, 2),
            State.mentored: Fraction(1, 10),
            State.identified: Fraction(0),
        }
    )
    #: Past this share of the year, a count target with no ripe case in its pipeline is at risk.
    late_in_year: Fraction = Fraction(1, 2)
    #: A case that has stayed longer than this many days in its state is stuck.
    stuck_days: Mapping[str, int] = field(
        default_factory=lambda: {
            State.identified: 120,
            State.mentored: 180,
            State.trained: 180,
            State.dossier_submitted: 90,
            State.returned: 60,
        }
    )
    #: The first year the comparison with past years shows.
    first_year: int = 2020
    #: The upper bounds of the age bands of the yearly statistics (age at admission): the
    #: default makes ≤ 30, 31–40, 41–50 and > 50 (docs/statistics.md).
    age_bands: tuple[int, ...] = (30, 40, 50)

    def __post_init__(self) -> None:
        for name in ("conversion", "stuck_days"):
            bad = sorted(set(getattr(self, name)) - set(PIPELINE_STATES))
            if bad:
                raise ValueError(f"{name}: not a pipeline state: {', '.join(bad)}")
        for rate in (*self.conversion.values(), self.late_in_year):
            _rate(rate)
        bands = list(self.age_bands)
        if not bands or bands != sorted(set(bands)) or bands[0] < 16 or bands[-1] > 120:
            raise ValueError("age_bands: increasing ages from 16 to 120, e.g. [30, 40, 50]")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> TargetSettings:
        """Settings from a TOML table; unknown names and states, wrong types are refused."""
        return section(cls, values, "targets")


def _rate(value: Any) -> Fraction:
    rate = Fraction(str(value))
    if not 0 <= rate <= 1:
        raise ValueError(f"a rate is between 0 and 1, not {value}")
    return rate


DEFAULT_TARGET_SETTINGS = TargetSettings()
