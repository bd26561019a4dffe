import pytest

from realtime import notifications

# The reasons the domain apps register (discussion: following, reply, mention; ideas:
# your_idea), as these tests expect them. Registered here too so that the tests do not depend
# on which apps are installed; registering again with the same label and rank is allowed.
REASONS = {
    "your_idea": ("it is your idea", 10),
    "reply": ("it replies to you", 20),
    "mention": ("you were mentioned", 30),
    "following": ("you follow it", 40),
}


def register_reasons() -> None:
    for key, (label, rank) in REASONS.items():
        if notifications.reason_rank(key) == notifications.UNREGISTERED_RANK:
            notifications.register_reason(key, label, rank=rank)


@pytest.fixture(autouse=True)
def _notification_reasons():
    register_reasons()
