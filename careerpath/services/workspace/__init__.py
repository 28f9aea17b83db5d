"""The counsellor workspace (issue #13). Start here:

- `Store.of(url, clock)`: the database and clock every service below reads;
- `Invitations(store)`: create / renew / preview / accept / refuse an invitation (code, link,
  QR code, 14 days);
- `Follow(store)`: the caseload (search, sort, pages), one beneficiary over time (dated
  snapshots, `compare` / `compare_dates`, `request_update`), private notes, `close`,
  `reassign`, `purge` (24 months); `figures`: each snapshot's readiness and plan hours, once;
- `export`: the caseload and one action plan as CSV, one beneficiary as PDF;
- `CounsellorPlan(store)` / `Person(store)`: the action plan from each side, and the
  person's « Arrêter le partage »;
- `plans`: the shared action model's storage (also used by the collective diagnosis).

Access rules: `careerpath.domain.workspace_access`; errors: `WorkspaceError` (`.message`).
"""

from careerpath.services.workspace.base import NotFound, Store, WorkspaceError
from careerpath.services.workspace.counsellor_plan import CounsellorPlan
from careerpath.services.workspace.follow import Follow
from careerpath.services.workspace.invitations import Invitations
from careerpath.services.workspace.person import Person

__all__ = [
    "CounsellorPlan",
    "Follow",
    "Invitations",
    "NotFound",
    "Person",
    "Store",
    "WorkspaceError",
]
