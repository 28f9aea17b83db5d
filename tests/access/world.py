"""The people and data the authorisation table is checked against, in the app's database.

Structure A has counsellor A and its manager; structure B has counsellor B; the
administrator belongs to none. The owner's device holds one assessment (with a share link),
which counsellor A follows, and shares it with counsellor A through an accepted invitation
(the workspace's beneficiary); another invitation of counsellor A waits for an answer.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import sqlalchemy

from careerpath.config import load_settings
from careerpath.data.database import engine_for
from careerpath.services.accounts import Accounts, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.class_poll import open_poll
from careerpath.services.referential import load_referential
from careerpath.services.schools import diplomas
from careerpath.services.workspace import CounsellorPlan, Invitations, Store

PASSWORD = "une phrase de passe pour les tests"

ACCOUNT_ACTORS = {
    "counsellor_a": (Role.COUNSELLOR, "Structure A"),
    "counsellor_b": (Role.COUNSELLOR, "Structure B"),
    "manager": (Role.STRUCTURE_ADMIN, "Structure A"),
    "admin": (Role.ADMIN, None),
}


@dataclass
class World:
    database_url: str
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    emails: dict[str, str] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.database_url, settings=load_settings())

    def session_token(self, actor: str) -> str | None:
        """A fresh session of the actor's account (None for visitors without one)."""
        email = self.emails.get(actor)
        return self.accounts.sign_in(email, PASSWORD).token if email else None

    def body(self, name: str | None, actor: str) -> str | None:
        if name == "credentials":
            email = self.emails.get(actor, f"personne-{actor}-{self.run}@example.org")
            password = PASSWORD if actor in self.emails else "pas le bon mot de passe"
            return json.dumps({"email": email, "password": password})
        return self.bodies[name] if name else None

    def fill(self, route: str, params: tuple[tuple[str, str], ...] = ()) -> str:
        """A concrete path for a route template (`[name]` or `{name}` from `values`)."""
        path = route
        for name, source in params:
            path = path.replace(f"[{name}]", self.values[source])
            path = path.replace(f"{{{name}}}", self.values[source])
        for name, value in self.values.items():
            path = path.replace(f"[{name}]", value).replace(f"{{{name}}}", value)
        assert "[" not in path and "{" not in path, f"no value for a parameter of {route}"
        return path


def build_world(database_url: str) -> World:
    world = World(database_url)
    accounts = world.accounts
    for actor, (role, structure) in ACCOUNT_ACTORS.items():
        email = f"{actor.replace('_', '-')}-{world.run}@example.org"
        accounts.create(email, role, structure=structure, password=PASSWORD, name=actor)
        world.emails[actor] = email
    store = AssessmentStore(database_url)
    referential = load_referential(database_url)
    role_code = referential.roles[0].code
    owner = new_device_id()
    stored = store.start(owner, "en_poste", role_code)
    store.rate_many(stored.id, {c.code: 2 for c in referential.competencies[:5]})
    share = store.share(stored.id)
    subject = store.subject_of_device(owner)
    assert subject is not None
    world.devices = {"owner": owner, "other_device": new_device_id()}
    counsellor_actor = accounts.resolve(world.session_token("counsellor_a"))
    counsellor = counsellor_actor.account
    assert counsellor is not None
    with engine_for(database_url).begin() as connection:
        connection.execute(
            sqlalchemy.text(
                "INSERT INTO follow_up (subject_id, counsellor_id, structure_id, started_at) "
                "VALUES (:s, :c, :st, CURRENT_TIMESTAMP)"
            ),
            {"s": subject, "c": counsellor.id, "st": counsellor.structure_id},
        )
    workspace = Store.of(database_url)
    invited = Invitations(workspace).create(counsellor_actor, "Personne suivie")
    beneficiary = Invitations(workspace).accept(invited.code, owner)
    pending = Invitations(workspace).create(counsellor_actor, "Personne invitée")
    plan = CounsellorPlan(workspace)
    objective = plan.add_objective(counsellor_actor, beneficiary, "Objectif du tableau")
    action = plan.add_action(counsellor_actor, beneficiary, "free", "Action du tableau")
    to_remove = plan.add_objective(counsellor_actor, beneficiary, "Objectif à retirer")
    diploma = diplomas(referential)[0].code
    world.values = {
        "code": role_code,
        "role": role_code,
        "diplome": diploma,
        "poll": open_poll(diploma, database_url).code,
        "etape": "1",
        "token": share,
        "jeton": "lien-inconnu-" + "0" * 30,
        "id": subject,
        "subject": subject,
        "name": "swagger-ui.css",
        "beneficiary": beneficiary,
        "invitation": pending.code,
        "objective": str(objective),
        "action": str(action),
        "objective_to_remove": str(to_remove),
    }
    world.bodies = {
        "assessment": json.dumps({"current_role": role_code, "ratings": {}}),
        "invitation": json.dumps({"label": "Personne invitée par l'API"}),
        "objective": json.dumps({"title": "Objectif écrit par l'API"}),
        "action": json.dumps({"kind": "application", "title": "Candidature par l'API"}),
        "action_change": json.dumps({"status": "doing", "due": "2031-01-31"}),
        "comment": json.dumps({"text": "Commentaire écrit par l'API"}),
        "reassign": json.dumps({"counsellor": world.emails["counsellor_a"]}),
    }
    return world
