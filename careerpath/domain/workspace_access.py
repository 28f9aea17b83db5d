"""Who may do what with a beneficiary of the counsellor workspace (pure rules).

A beneficiary belongs to one structure and is followed by at most one counsellor at a time.
- **see** (the caseload line: the name the counsellor gave, the status, the closing reason):
  the counsellor following them, or a manager of their structure;
- **read** what the person shares (assessments, plan, action plan): the same, and only while
  the person shares (`sharing`);
- **write** (actions, comments, notes, closing): the same as read, and the follow-up open;
- **reassign**: a manager of the structure, while the follow-up is open (a platform
  administrator belongs to no structure and sees no beneficiary: they manage accounts, and
  a structure without a manager gets one from them, who then reassigns);
- the **person** (their device owns the shared subject) reads and updates their own action
  plan and may stop sharing at any time.
An id in a URL is never enough: every rule checks the structure and the counsellor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from careerpath.domain.access import Actor, Role


class BeneficiaryNeed(StrEnum):
    SEE = "see"
    READ = "read"
    WRITE = "write"
    REASSIGN = "reassign"


@dataclass(frozen=True)
class BeneficiaryFacts:
    beneficiary_id: str
    structure_id: int
    counsellor_id: str | None
    open: bool
    sharing: bool
    subject_device_id: str | None = None
    """The device id of the shared subject, when the person shares from a device."""


def counsellor_may(actor: Actor, need: BeneficiaryNeed, facts: BeneficiaryFacts) -> bool:
    """A counsellor's, manager's or administrator's access to a beneficiary."""
    account = actor.account
    if account is None:
        return False
    if need is BeneficiaryNeed.REASSIGN:
        if not facts.open:
            return False
        return account.role is Role.STRUCTURE_ADMIN and account.structure_id == facts.structure_id
    if account.structure_id != facts.structure_id:
        return False
    if account.role is Role.COUNSELLOR:
        allowed = facts.counsellor_id == account.id
    elif account.role is Role.STRUCTURE_ADMIN:
        allowed = True
    else:
        allowed = False
    if not allowed:
        return False
    if need is BeneficiaryNeed.SEE:
        return True
    if need is BeneficiaryNeed.READ:
        return facts.sharing
    return facts.sharing and facts.open


def person_may(actor: Actor, facts: BeneficiaryFacts, *, write: bool = False) -> bool:
    """The person themself, from the device that shares: read, and write while open."""
    if not actor.device_id or not facts.sharing or facts.subject_device_id is None:
        return False
    if actor.device_id != facts.subject_device_id:
        return False
    return facts.open or not write
