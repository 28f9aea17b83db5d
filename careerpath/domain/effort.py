"""The effort model: how many hours of learning close a competency gap.

Each level is harder to reach than the one below it (notions → application → maîtrise →
expertise), so every step from level k-1 to level k costs `LEVEL_STEP_HOURS[k]`. A gap on a
useful (non-essential) requirement counts for half: the role can be taken up before it is
fully closed. The same model weighs graph edges, personal gaps and path efforts.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Hours to go from level k-1 to level k (index 0 unused): 2 days, 1 week, 2 weeks, 4 weeks.
LEVEL_STEP_HOURS: tuple[float, ...] = (0.0, 14.0, 35.0, 70.0, 140.0)
USEFUL_FACTOR = 0.5

_CUMULATIVE = np.cumsum(np.asarray(LEVEL_STEP_HOURS, dtype=np.float64))


def gap_hours(has: int, needs: int, essential: bool) -> float:
    """Hours to bring one competency from `has` to `needs` (0 when already there)."""
    if has >= needs:
        return 0.0
    hours = float(_CUMULATIVE[needs] - _CUMULATIVE[max(has, 0)])
    return hours if essential else hours * USEFUL_FACTOR


def gap_hours_array(
    has: npt.NDArray[np.int64], needs: npt.NDArray[np.int64], essential: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """Vectorised `gap_hours` over aligned arrays."""
    low = np.clip(np.minimum(has, needs), 0, len(LEVEL_STEP_HOURS) - 1)
    hours = _CUMULATIVE[needs] - _CUMULATIVE[low]
    factor = np.where(essential, 1.0, USEFUL_FACTOR)
    result: npt.NDArray[np.float64] = hours * factor
    return result
