"""The collective diagnosis (issue #14). Start here:

- `Groups(Store.of(url, clock))`: `create` a group (code, link, `card.qr_svg`),
  `mine`, `preview` / `join` / `membership` / `answer_needs` / `leave` from a phone,
  `view` (today, whole group or a sub-group), `compare` (two dates), the shared plan
  (`plan`, `add_action`, `set_status`, `comment`…, plan_kind "group") and `export_csv`.

The group sees published states of its figures: `careerpath.domain.collective.publish_state`
(the anonymity rule, core `publishable`), stored in `states.py`; also `export_pdf`,
`add_onboarding`, `share_text` / `shared_texts`, `note_staff_device`;
who may see a group: `careerpath.domain.collective.organiser_may`. Errors: `CollectiveError`.
"""

from careerpath.services.collective.groups import (
    CollectiveError,
    Comparison,
    GroupCard,
    GroupNotFound,
    Groups,
    GroupView,
    JoinPreview,
    Membership,
    join_url,
)

__all__ = [
    "CollectiveError",
    "Comparison",
    "GroupCard",
    "GroupNotFound",
    "GroupView",
    "Groups",
    "JoinPreview",
    "Membership",
    "join_url",
]
