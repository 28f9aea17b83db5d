"""Account pages: /connexion, /deconnexion, /compte, /mot-de-passe-oublie, /mot-de-passe/X.

Assistants and students never need them: only counsellors, structure managers and
administrators have accounts.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from careerpath.services.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from careerpath.ui.components.access import access_gate
from careerpath.ui.components.admin_nav import admin_nav
from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import (
    link_button,
    loading,
    notice,
    page_heading,
    primary_button,
    secondary_button,
    section_heading,
)
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.account import (
    NEW_TOKEN_ID,
    AccountState,
    AuditState,
    ForgottenState,
    LinkState,
    SignInState,
    SignOutState,
    TeamState,
)


def field(label: Any, name: str, kind: str, autocomplete: str, **props: Any) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=f"champ-{name}", class_name="cp-label"),
        rx.el.input(
            id=f"champ-{name}",
            name=name,
            type=kind,
            auto_complete=autocomplete,
            required=True,
            class_name="cp-input",
            **props,
        ),
        width="100%",
    )


def password_field(label: Any, name: str, autocomplete: str) -> rx.Component:
    extra = {"min_length": MIN_LENGTH} if autocomplete == "new-password" else {}
    return field(label, name, "password", autocomplete, max_length=MAX_LENGTH, **extra)


def password_rules() -> rx.Component:
    return rx.text(
        t(
            "De {least} à {most} caractères, sans autre règle : une phrase de "
            "plusieurs mots est idéale. Les mots de passe courants ou déjà divulgués sont "
            "refusés.",
            least=MIN_LENGTH,
            most=MAX_LENGTH,
        ),
        size="2",
        color_scheme="gray",
        high_contrast=True,
    )


def status_line(*children: Any, **props: Any) -> rx.Component:
    return rx.el.p(*children, role="status", aria_live="polite", class_name="cp-status", **props)


@rx.page(
    route="/connexion", title=page_title("Se connecter — careerpath"), on_load=SignInState.load
)
def sign_in_page() -> rx.Component:
    return page_frame(
        page_heading(t("Se connecter")),
        rx.text(
            t(
                "Pour les conseiller·ères, les responsables de structure et les "
                "administrateur·rices. Pour faire votre bilan, aucun compte n'est nécessaire."
            ),
            size="3",
        ),
        rx.cond(
            SignInState.signed_in_as != "",
            notice(t("Vous êtes déjà connecté·e : ") + SignInState.signed_in_as),
        ),
        rx.el.form(
            rx.vstack(
                field(t("E-mail"), "email", "email", "username", max_length=254),
                password_field(t("Mot de passe"), "password", "current-password"),
                status_line(SignInState.refusal, data_cp_auth_status=""),
                primary_button(t("Se connecter"), type="submit"),
                spacing="4",
                width="100%",
            ),
            data_cp_auth="signin",
            method="post",
            action="/api/v1/session",
            width="100%",
        ),
        rx.link(
            t("Mot de passe oublié ?"),
            href="/mot-de-passe-oublie",
            size="3",
            min_height="44px",
            display="inline-flex",
            align_items="center",
        ),
    )


@rx.page(
    route="/deconnexion", title=page_title("Se déconnecter — careerpath"), on_load=SignOutState.load
)
def sign_out_page() -> rx.Component:
    return page_frame(
        page_heading(t("Se déconnecter")),
        rx.cond(
            SignOutState.loaded,
            rx.cond(
                SignOutState.signed_in,
                rx.vstack(
                    rx.text(
                        t("Vous quittez votre session sur cet appareil."),
                        size="3",
                    ),
                    primary_button(
                        t("Se déconnecter"),
                        on_click=rx.call_script("window.careerpathAuth.signOut()"),
                    ),
                    spacing="4",
                    width="100%",
                ),
                rx.vstack(
                    notice(
                        t("Vous êtes déconnecté·e."),
                        tone="success",
                        data_testid="signed-out",
                    ),
                    link_button(t("Se connecter"), "/connexion", primary=False),
                    spacing="4",
                    width="100%",
                ),
            ),
            loading(),
        ),
    )


def session_row(session: Any) -> rx.Component:
    return rx.el.li(
        rx.text(
            session.device,
            rx.cond(
                session.current,
                rx.el.strong(t(" — cet appareil")),
            ),
            weight="medium",
        ),
        rx.text(
            t("Connecté·e le ") + session.started,
            t(" · dernière activité ") + session.last_seen,
            size="2",
            color_scheme="gray",
            high_contrast=True,
        ),
        data_testid="session",
    )


def token_row(token: Any) -> rx.Component:
    return rx.el.li(
        rx.text(token.name, " ", rx.el.code(token.prefix), weight="medium"),
        rx.text(token.detail, size="2", color_scheme="gray", high_contrast=True),
        rx.cond(
            token.live,
            secondary_button(
                t("Révoquer"),
                on_click=AccountState.revoke_token(token.id),
                color_scheme="red",
                data_testid="revoke-token",
            ),
        ),
        data_testid="api-token",
    )


def tokens_section() -> rx.Component:
    return rx.vstack(
        section_heading(t("Jetons d'API personnels")),
        rx.text(
            t(
                "Pour qu'un outil (tableur, logiciel de suivi) appelle l'API careerpath en "
                "votre nom : en-tête « Authorization: Bearer <jeton> ». Un jeton a exactement "
                "vos droits, jamais plus ; il est affiché une seule fois, puis seule son "
                "empreinte est gardée. Documentation : /api/v1/docs."
            ),
            size="2",
        ),
        rx.cond(
            AccountState.token_error != "",
            notice(AccountState.token_error, tone="alert", data_testid="token-error"),
        ),
        rx.cond(
            AccountState.token_message != "",
            notice(AccountState.token_message, tone="success", data_testid="token-message"),
        ),
        # Filled by the creating event's script (the token never enters the state); outside
        # any rx.cond so that a re-render keeps it.
        rx.el.p(
            rx.el.code(id=NEW_TOKEN_ID, data_testid="new-token"),
            hidden=True,
            style={"overflowWrap": "anywhere"},
        ),
        rx.cond(
            AccountState.token_roles_note != "",
            rx.text(AccountState.token_roles_note, size="2", data_testid="token-roles-note"),
        ),
        rx.cond(AccountState.may_create_tokens, token_form()),
        rx.el.ul(rx.foreach(AccountState.tokens, token_row), class_name="cp-plain-list"),
        spacing="3",
        width="100%",
        align="stretch",
    )


def token_form() -> rx.Component:
    return rx.el.form(
        rx.vstack(
            field(t("Nom du jeton"), "token_name", "text", "off", max_length=80),
            rx.box(
                rx.el.label(t("Valable"), html_for="champ-days", class_name="cp-label"),
                rx.el.select(
                    rx.el.option(t("30 jours"), value="30"),
                    rx.el.option(t("90 jours"), value="90"),
                    rx.el.option(t("1 an"), value="365"),
                    id="champ-days",
                    name="days",
                    class_name="cp-input",
                ),
                width="100%",
            ),
            secondary_button(t("Créer un jeton"), type="submit", data_testid="create-token"),
            spacing="3",
            width="100%",
        ),
        on_submit=AccountState.create_token,
        reset_on_submit=True,
        width="100%",
    )


def account_content() -> rx.Component:
    return rx.vstack(
        rx.text(AccountState.account_email, weight="bold", size="4", data_testid="account-email"),
        rx.text(
            AccountState.role_name,
            rx.cond(AccountState.structure != "", " — " + AccountState.structure, ""),
            size="3",
        ),
        rx.cond(AccountState.error != "", notice(AccountState.error, tone="alert")),
        rx.cond(
            (AccountState.account_role == "counsellor")
            | (AccountState.account_role == "structure-admin"),
            link_button(t("Ouvrir mon espace conseiller·ère"), "/espace"),
        ),
        section_heading(t("Appareils connectés")),
        rx.el.ul(
            rx.foreach(AccountState.sessions, session_row),
            class_name="cp-plain-list",
        ),
        rx.cond(AccountState.message != "", notice(AccountState.message, tone="success")),
        rx.cond(
            AccountState.sessions.length() > 1,
            secondary_button(
                t("Déconnecter les autres appareils"),
                on_click=AccountState.end_other_sessions,
            ),
        ),
        section_heading(t("Changer de mot de passe")),
        rx.el.form(
            rx.vstack(
                password_field(
                    t("Mot de passe actuel"),
                    "current_password",
                    "current-password",
                ),
                password_field(t("Nouveau mot de passe"), "new_password", "new-password"),
                password_field(
                    t("Nouveau mot de passe, encore"),
                    "new_password_again",
                    "new-password",
                ),
                password_rules(),
                rx.cond(
                    AccountState.password_error != "",
                    notice(AccountState.password_error, tone="alert"),
                ),
                rx.cond(
                    AccountState.password_message != "",
                    notice(AccountState.password_message, tone="success"),
                ),
                secondary_button(t("Changer le mot de passe"), type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=AccountState.change_password,
            reset_on_submit=True,
            width="100%",
        ),
        tokens_section(),
        rx.cond(
            (AccountState.account_role == "structure-admin")
            | (AccountState.account_role == "admin"),
            rx.vstack(
                rx.link(
                    t("Comptes de la structure"),
                    href="/compte/equipe",
                    size="3",
                    min_height="44px",
                    display="inline-flex",
                    align_items="center",
                ),
                rx.link(
                    t("Journal des accès"),
                    href="/compte/journal",
                    size="3",
                    min_height="44px",
                    display="inline-flex",
                    align_items="center",
                ),
                rx.cond(
                    AccountState.account_role == "admin",
                    rx.link(
                        t("Administration du référentiel"),
                        href="/admin/referentiel",
                        size="3",
                        min_height="44px",
                        display="inline-flex",
                        align_items="center",
                    ),
                ),
                spacing="1",
            ),
        ),
        link_button(t("Se déconnecter"), "/deconnexion", primary=False),
        spacing="4",
        width="100%",
        align="stretch",
    )


@rx.page(route="/compte", title=page_title("Mon compte — careerpath"), on_load=AccountState.load)
def account_page() -> rx.Component:
    return page_frame(
        page_heading(t("Mon compte")),
        access_gate(AccountState, account_content()),
    )


@rx.page(route="/mot-de-passe-oublie", title=page_title("Mot de passe oublié — careerpath"))
def forgotten_page() -> rx.Component:
    return page_frame(
        page_heading(t("Mot de passe oublié")),
        rx.cond(
            ForgottenState.sent,
            rx.cond(
                ForgottenState.mail_available,
                notice(
                    t(
                        "Si un compte actif a cette adresse, un e-mail vient de partir avec un "
                        "lien valable une heure."
                    ),
                    tone="success",
                    data_testid="reset-sent",
                ),
                notice(
                    t(
                        "Ce serveur n'envoie pas d'e-mails : aucun message n'est parti. "
                        "Demandez un nouveau lien à votre responsable de structure ou à "
                        "l'administrateur·rice de careerpath."
                    ),
                    tone="warning",
                    data_testid="reset-no-mail",
                ),
            ),
            rx.el.form(
                rx.vstack(
                    field(t("E-mail"), "email", "email", "username", max_length=254),
                    rx.cond(ForgottenState.error != "", notice(ForgottenState.error, tone="alert")),
                    primary_button(t("Recevoir un lien"), type="submit"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=ForgottenState.request,
                width="100%",
            ),
        ),
        rx.link(t("Retour à la connexion"), href="/connexion", size="3"),
    )


@rx.page(
    route="/mot-de-passe/[jeton]",
    title=page_title("Choisir un mot de passe — careerpath"),
    on_load=LinkState.load,
)
def link_page() -> rx.Component:
    return page_frame(
        page_heading(
            rx.cond(
                LinkState.purpose == "activation",
                t("Activer votre compte"),
                t("Choisir un mot de passe"),
            )
        ),
        rx.cond(
            LinkState.loaded,
            rx.cond(
                LinkState.done,
                rx.vstack(
                    notice(
                        t("Mot de passe enregistré. Vous pouvez vous connecter."),
                        tone="success",
                        data_testid="password-saved",
                    ),
                    link_button(t("Se connecter"), "/connexion"),
                    spacing="4",
                    width="100%",
                ),
                rx.cond(
                    LinkState.purpose != "",
                    rx.el.form(
                        rx.vstack(
                            password_field(t("Mot de passe"), "password", "new-password"),
                            password_field(
                                t("Mot de passe, encore"),
                                "password_again",
                                "new-password",
                            ),
                            password_rules(),
                            rx.cond(LinkState.error != "", notice(LinkState.error, tone="alert")),
                            primary_button(
                                t("Enregistrer le mot de passe"),
                                type="submit",
                            ),
                            spacing="4",
                            width="100%",
                        ),
                        on_submit=LinkState.choose,
                        reset_on_submit=True,
                        width="100%",
                    ),
                    rx.vstack(
                        notice(
                            t(
                                "Ce lien n'est plus valable (déjà utilisé ou expiré) : "
                                "demandez-en un nouveau."
                            ),
                            tone="warning",
                            data_testid="link-invalid",
                        ),
                        rx.link(
                            t("Mot de passe oublié ?"),
                            href="/mot-de-passe-oublie",
                            size="3",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                ),
            ),
            loading(),
        ),
    )


def audit_row(row: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row.at, class_name="cp-figure"),
        rx.el.td(rx.text(row.action, weight="medium"), rx.text(row.detail, size="1")),
        rx.el.td(row.who, rx.text(row.address, size="1", color_scheme="gray")),
        data_testid="audit-row",
    )


def audit_content() -> rx.Component:
    return rx.vstack(
        rx.text(
            t(
                "Connexions, échecs, changements de comptes et chaque consultation ou export "
                "des données d'une personne par un·e autre qu'elle, sur 12 mois (les plus "
                "anciens sont effacés)."
            ),
            size="3",
        ),
        rx.cond(AuditState.error != "", notice(AuditState.error, tone="alert")),
        rx.box(
            rx.el.table(
                rx.el.thead(
                    rx.el.tr(
                        rx.el.th(t("Quand")),
                        rx.el.th(t("Quoi")),
                        rx.el.th(t("Qui")),
                    )
                ),
                rx.el.tbody(rx.foreach(AuditState.rows, audit_row)),
                class_name="cp-table",
            ),
            overflow_x="auto",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


@rx.page(
    route="/compte/journal",
    title=page_title("Journal des accès — careerpath"),
    on_load=AuditState.load,
)
def audit_page() -> rx.Component:
    return page_frame(
        page_heading(t("Journal des accès")),
        access_gate(AuditState, audit_content()),
    )


def team_row(row: Any) -> rx.Component:
    return rx.el.li(
        rx.text(row.email, weight="bold"),
        rx.text(
            rx.cond(row.name != "", row.name + " · ", ""),
            row.role,
            rx.cond(row.structure != "", " · " + row.structure, ""),
            " · ",
            row.status,
            size="2",
        ),
        rx.cond(
            row.disabled,
            rx.fragment(),
            rx.el.div(
                secondary_button(t("Nouveau lien"), on_click=TeamState.new_link(row.email)),
                secondary_button(
                    t("Désactiver"),
                    on_click=TeamState.disable(row.email),
                    color_scheme="red",
                ),
                class_name="cp-actions",
            ),
        ),
        data_testid="team-account",
    )


def team_content() -> rx.Component:
    return rx.vstack(
        rx.cond(TeamState.is_admin, admin_nav("/compte/equipe")),
        rx.cond(TeamState.error != "", notice(TeamState.error, tone="alert")),
        rx.cond(
            TeamState.message != "",
            notice(TeamState.message, tone="success", data_testid="team-message"),
        ),
        rx.cond(
            TeamState.link != "",
            rx.el.p(
                rx.el.code(TeamState.link, data_testid="issued-link"),
                style={"overflowWrap": "anywhere"},
            ),
        ),
        section_heading(t("Créer un compte")),
        rx.el.form(
            rx.vstack(
                field(t("E-mail"), "email", "email", "off", max_length=254),
                rx.box(
                    rx.el.label(t("Nom"), html_for="champ-name", class_name="cp-label"),
                    rx.el.input(
                        id="champ-name",
                        name="name",
                        type="text",
                        max_length=200,
                        class_name="cp-input",
                    ),
                    width="100%",
                ),
                rx.box(
                    rx.el.label(t("Rôle"), html_for="champ-role", class_name="cp-label"),
                    rx.el.select(
                        rx.el.option(t("Conseiller·ère"), value="counsellor"),
                        rx.el.option(
                            t("Responsable de structure"),
                            value="structure-admin",
                        ),
                        rx.cond(
                            TeamState.is_admin,
                            rx.el.option(t("Administrateur·rice"), value="admin"),
                        ),
                        id="champ-role",
                        name="role",
                        class_name="cp-input",
                    ),
                    width="100%",
                ),
                rx.cond(
                    TeamState.is_admin,
                    rx.box(
                        rx.el.label(
                            t("Structure"),
                            html_for="champ-structure",
                            class_name="cp-label",
                        ),
                        rx.el.input(
                            id="champ-structure",
                            name="structure",
                            type="text",
                            max_length=200,
                            class_name="cp-input",
                        ),
                        width="100%",
                    ),
                    rx.text(t("Structure : ") + TeamState.own_structure, size="3"),
                ),
                rx.text(
                    t(
                        "Un lien d'activation à usage unique (72 h) est envoyé par e-mail si le "
                        "serveur sait en envoyer, sinon affiché ici pour que vous le transmettiez."
                    ),
                    size="2",
                    color_scheme="gray",
                    high_contrast=True,
                ),
                primary_button(t("Créer le compte"), type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=TeamState.create,
            reset_on_submit=True,
            width="100%",
        ),
        section_heading(t("Comptes")),
        rx.el.ul(rx.foreach(TeamState.rows, team_row), class_name="cp-plain-list"),
        spacing="4",
        width="100%",
        align="stretch",
    )


@rx.page(
    route="/compte/equipe",
    title=page_title("Comptes de la structure — careerpath"),
    on_load=TeamState.load,
)
def team_page() -> rx.Component:
    return page_frame(
        page_heading(t("Comptes de la structure")),
        access_gate(TeamState, team_content()),
    )
