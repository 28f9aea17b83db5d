"""Builders shared by the engine tests: a small hand-written referential and hypothesis
strategies for random small referentials and assessments (no test lives here)."""

from __future__ import annotations

from hypothesis import strategies as st

from careerpath.domain.assessment import Assessment, Constraints
from careerpath.domain.referential import (
    Competency,
    Modality,
    Referential,
    Requirement,
    Role,
    Training,
    TrainingKind,
    TrainingOutcome,
    Transition,
    TransitionKind,
    Weight,
)

E, U = Weight.ESSENTIAL, Weight.USEFUL


def office_referential() -> Referential:
    """Five assistant roles over eight competencies, with trainings and a VAE."""
    comps = [
        Competency("org-agenda", "Gestion d'agendas", "organisation"),
        Competency("org-priorites", "Priorisation des tâches", "organisation"),
        Competency("com-ecrit", "Rédaction professionnelle", "communication"),
        Competency("num-bureautique", "Bureautique", "numérique"),
        Competency("coord-projet", "Coordination de projets", "coordination"),
        Competency("gest-budget", "Suivi budgétaire", "gestion"),
        Competency("rh-paie", "Paie", "RH & juridique"),
        Competency("rh-droit", "Droit social", "RH & juridique"),
    ]
    roles = [
        Role("secretaire", "Secrétaire", "assistanat", "M1607", 4),
        Role("assistant-direction", "Assistant·e de direction", "assistanat", "M1604", 5),
        Role("office-manager", "Office manager", "assistanat", "M1604", 5),
        Role("gestionnaire-paie", "Gestionnaire de paie", "rh", "M1501", 5),
        Role("responsable-rh", "Responsable RH", "rh", "M1503", 6),
    ]
    reqs = [
        Requirement("secretaire", "org-agenda", 2, E),
        Requirement("secretaire", "com-ecrit", 2, E),
        Requirement("secretaire", "num-bureautique", 2, E),
        Requirement("secretaire", "org-priorites", 2, U),
        Requirement("assistant-direction", "org-agenda", 3, E),
        Requirement("assistant-direction", "org-priorites", 3, E),
        Requirement("assistant-direction", "com-ecrit", 3, E),
        Requirement("assistant-direction", "num-bureautique", 3, U),
        Requirement("assistant-direction", "coord-projet", 2, U),
        Requirement("office-manager", "org-priorites", 3, E),
        Requirement("office-manager", "coord-projet", 3, E),
        Requirement("office-manager", "gest-budget", 2, E),
        Requirement("office-manager", "num-bureautique", 3, U),
        Requirement("gestionnaire-paie", "rh-paie", 3, E),
        Requirement("gestionnaire-paie", "rh-droit", 3, E),
        Requirement("gestionnaire-paie", "num-bureautique", 2, U),
        Requirement("responsable-rh", "rh-droit", 4, E),
        Requirement("responsable-rh", "rh-paie", 2, U),
        Requirement("responsable-rh", "coord-projet", 3, E),
    ]
    transitions = [
        Transition("secretaire", "assistant-direction", TransitionKind.CURATED),
        Transition("assistant-direction", "office-manager", TransitionKind.CURATED),
        Transition("gestionnaire-paie", "responsable-rh", TransitionKind.CURATED),
    ]
    trainings = [
        Training(
            "paie-courte",
            "Gérer la paie",
            TrainingKind.FORMATION_COURTE,
            70,
            1500,
            Modality.DISTANCE,
            True,
        ),
        Training(
            "droit-social",
            "Droit social",
            TrainingKind.FORMATION_COURTE,
            35,
            900,
            Modality.PRESENTIEL,
            True,
        ),
        Training(
            "tp-paie",
            "Titre pro gestionnaire de paie",
            TrainingKind.TITRE_PRO,
            600,
            6000,
            Modality.ALTERNANCE,
            True,
            rncp="RNCP35350",
            qualification_level=5,
        ),
        Training(
            "vae-tp-paie",
            "VAE gestionnaire de paie",
            TrainingKind.VAE,
            24,
            1200,
            Modality.DISTANCE,
            True,
            rncp="RNCP35350",
        ),
        Training(
            "gestion-projet",
            "Gestion de projet",
            TrainingKind.FORMATION_COURTE,
            21,
            450,
            Modality.DISTANCE,
            True,
        ),
        Training(
            "bts-sam",
            "BTS Support à l'action managériale",
            TrainingKind.DIPLOME,
            1350,
            0,
            Modality.ALTERNANCE,
            False,
            rncp="RNCP38362",
            qualification_level=5,
        ),
    ]
    outcomes = [
        TrainingOutcome("paie-courte", "rh-paie", 3),
        TrainingOutcome("droit-social", "rh-droit", 3),
        TrainingOutcome("tp-paie", "rh-paie", 3),
        TrainingOutcome("tp-paie", "rh-droit", 3),
        TrainingOutcome("tp-paie", "num-bureautique", 3),
        TrainingOutcome("gestion-projet", "coord-projet", 3),
        TrainingOutcome("bts-sam", "org-agenda", 3),
        TrainingOutcome("bts-sam", "org-priorites", 3),
        TrainingOutcome("bts-sam", "com-ecrit", 3),
        TrainingOutcome("bts-sam", "coord-projet", 3),
        TrainingOutcome("bts-sam", "gest-budget", 2),
    ]
    return Referential(
        competencies=tuple(comps),
        roles=tuple(roles),
        requirements=tuple(reqs),
        transitions=tuple(transitions),
        trainings=tuple(trainings),
        outcomes=tuple(outcomes),
    )


@st.composite
def referentials(
    draw: st.DrawFn, max_roles: int = 6, max_comps: int = 8, max_trainings: int = 6
) -> Referential:
    """Random small referentials: roles with 0–5 requirements, trainings with outcomes."""
    n_comps = draw(st.integers(1, max_comps))
    n_roles = draw(st.integers(1, max_roles))
    comps = [Competency(f"c{i}", f"Compétence {i}", f"cat{i % 3}") for i in range(n_comps)]
    roles = [Role(f"r{i}", f"Métier {i}", f"fam{i % 2}", f"M{1600 + i}") for i in range(n_roles)]
    reqs: list[Requirement] = []
    for role in roles:
        chosen = draw(st.lists(st.integers(0, n_comps - 1), max_size=5, unique=True))
        for c in chosen:
            reqs.append(
                Requirement(
                    role.code, f"c{c}", draw(st.integers(1, 4)), draw(st.sampled_from([E, U]))
                )
            )
    transitions = []
    for _ in range(draw(st.integers(0, 4))):
        a, b = draw(st.integers(0, n_roles - 1)), draw(st.integers(0, n_roles - 1))
        if a != b:
            transitions.append(Transition(f"r{a}", f"r{b}", TransitionKind.CURATED))
    trainings = []
    outcomes = []
    for i in range(draw(st.integers(0, max_trainings))):
        trainings.append(
            Training(
                f"t{i}",
                f"Formation {i}",
                TrainingKind.FORMATION_COURTE,
                float(draw(st.integers(1, 200))),
                float(draw(st.integers(0, 3000))),
                draw(st.sampled_from(list(Modality))),
            )
        )
        for c in draw(st.lists(st.integers(0, n_comps - 1), min_size=1, max_size=3, unique=True)):
            outcomes.append(TrainingOutcome(f"t{i}", f"c{c}", draw(st.integers(1, 4))))
    return Referential(
        competencies=tuple(comps),
        roles=tuple(roles),
        requirements=tuple(reqs),
        transitions=tuple(dict.fromkeys(transitions)),
        trainings=tuple(trainings),
        outcomes=tuple(outcomes),
    )


def ratings_for(referential: Referential) -> st.SearchStrategy[dict[str, int]]:
    """Ratings 0–4 on any subset of the referential's competencies."""
    codes = [c.code for c in referential.competencies]
    return st.dictionaries(st.sampled_from(codes), st.integers(0, 4))


def assessment(
    ratings: dict[str, int],
    current: str | None = None,
    target: str | None = None,
    **constraints: object,
) -> Assessment:
    return Assessment(
        ratings=ratings, current_role=current, target=target, constraints=Constraints(**constraints)
    )  # type: ignore[arg-type]
