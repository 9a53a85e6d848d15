"""The whole path through the real database: every state reachable through the use cases."""

import pytest

from workflow.states import State


@pytest.mark.parametrize("state", [s.value for s in State])
def test_every_state_is_reachable(district, state):
    case = district.to_state(state)
    assert case.state == state
