"""« Supprimer mes données »: everything a device left on the server, erased at once.

In this order: every follow-up the device shares stops (the counsellor keeps only the name
they entered and the closing reason, as with « Arrêter le partage »), then the words it
shared in collective groups are erased from the groups' stored states (`Groups.forget_device`),
then the device's assessments, answers, share links and group memberships go
(`AssessmentStore.delete_device`, the database cascades), then its transfer codes. Returns the device's tabs, whose page
states the caller clears.
"""

from __future__ import annotations

from careerpath.domain.access import Actor
from careerpath.services.assessments import AssessmentStore
from careerpath.services.collective import Groups
from careerpath.services.transfer import TransferStore
from careerpath.services.workspace.base import Store
from careerpath.services.workspace.person import Person


def erase_device(device_id: str, url: str | None = None) -> list[str]:
    """Erase what `device_id` stored; the tabs it had open."""
    store = AssessmentStore(url)
    tabs = store.tabs_of(device_id)
    Person(Store.of(url)).stop_all_sharing(Actor(device_id=device_id))
    Groups(Store.of(url)).forget_device(device_id)
    store.delete_device(device_id)
    TransferStore(url).forget_device(device_id)
    return tabs
