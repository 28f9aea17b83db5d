"""/admin/referentiel: the referential from the browser (administrators only).

Upload a zip (our CSV bundle's folder, a ROME 4.0 directory, the ESCO archives), read the
validation report or the diff and what it does to existing data, « Appliquer » or
« Annuler »; every applied version is listed with « Revenir à cette version ».
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from careerpath.services.referential_admin import MAX_UPLOAD_BYTES, upload_limit
from careerpath.ui.components.access import access_gate
from careerpath.ui.components.admin_nav import admin_nav
from careerpath.ui.components.layout import page_frame
from careerpath.ui.components.widgets import (
    notice,
    page_heading,
    primary_button,
    secondary_button,
    section_heading,
)
from careerpath.ui.i18n import page_title, t
from careerpath.ui.states.admin import UPLOAD_ID, ReferentialAdminState

S = ReferentialAdminState


def diff_row(row: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.th(row.name, scope="row"),
        rx.el.td(row.added, data_testid="diff-added"),
        rx.el.td(row.changed, data_testid="diff-changed"),
        rx.el.td(row.removed, data_testid="diff-removed"),
        data_testid="diff-row",
    )


def diff_codes(row: Any) -> rx.Component:
    return rx.cond(
        (row.added > 0) | (row.changed > 0) | (row.removed > 0),
        rx.el.li(
            rx.el.strong(row.name),
            rx.cond(row.added > 0, rx.text(t("Ajouts : ") + row.added_codes, size="2")),
            rx.cond(row.changed > 0, rx.text(t("Modifications : ") + row.changed_codes, size="2")),
            rx.cond(row.removed > 0, rx.text(t("Suppressions : ") + row.removed_codes, size="2")),
        ),
    )


def preview() -> rx.Component:
    return rx.vstack(
        section_heading(t("Différences avec le référentiel en service")),
        rx.text(t("Fichier : ") + S.file_name, size="3", data_testid="staged-file"),
        rx.cond(
            S.unchanged,
            notice(t("Ce fichier est identique au référentiel en service."), tone="info"),
        ),
        rx.el.table(
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(t("Éléments"), scope="col"),
                    rx.el.th(t("Ajoutés"), scope="col"),
                    rx.el.th(t("Modifiés"), scope="col"),
                    rx.el.th(t("Supprimés"), scope="col"),
                )
            ),
            rx.el.tbody(rx.foreach(S.diff, diff_row)),
            class_name="cp-table",
            data_testid="diff",
        ),
        rx.el.ul(rx.foreach(S.diff, diff_codes), class_name="cp-plain-list"),
        rx.heading(t("Ce que cela change pour les données existantes"), as_="h3", size="4"),
        rx.el.ul(
            rx.foreach(S.impact, lambda line: rx.el.li(line)),
            class_name="cp-plain-list",
            data_testid="impact",
        ),
        rx.cond(
            S.warnings.length() > 0,
            rx.el.details(
                rx.el.summary(t("Avertissements de l'import")),
                rx.el.ul(rx.foreach(S.warnings, lambda line: rx.el.li(line))),
            ),
        ),
        rx.vstack(
            primary_button(
                t("Appliquer"),
                on_click=S.apply,
                disabled=S.busy,
                data_testid="apply",
            ),
            secondary_button(
                t("Annuler"), on_click=S.cancel, disabled=S.busy, data_testid="cancel"
            ),
            spacing="2",
            width="100%",
        ),
        spacing="3",
        width="100%",
        align="stretch",
        data_testid="preview",
    )


def version_row(row: Any) -> rx.Component:
    return rx.el.li(
        rx.text(
            row.title,
            rx.cond(row.current, rx.el.strong(t(" — en service"))),
            weight="medium",
        ),
        rx.text(row.detail, size="2", color_scheme="gray", high_contrast=True),
        rx.cond(
            row.current,
            rx.fragment(),
            secondary_button(
                t("Revenir à cette version"),
                on_click=S.restore(row.id),  # type: ignore[misc]
                disabled=S.busy,
                data_testid="restore",
            ),
        ),
        data_testid="version",
    )


def upload_form() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.el.label(t("Type de fichier"), html_for="champ-kind", class_name="cp-label"),
            rx.el.select(
                rx.el.option(t("Lot CSV careerpath (zip du dossier)"), value="bundle"),
                rx.el.option(t("ROME 4.0 (zip du dossier unix_*.csv)"), value="rome"),
                rx.el.option(t("ESCO (zip des archives CSV)"), value="esco"),
                id="champ-kind",
                value=S.kind,
                on_change=S.set_kind,
                class_name="cp-input",
            ),
            width="100%",
        ),
        rx.upload.root(
            rx.vstack(
                rx.text(t("Déposez le fichier zip ici, ou touchez pour le choisir.")),
                rx.foreach(
                    rx.selected_files(UPLOAD_ID),
                    lambda name: rx.text(name, weight="bold", data_testid="selected-file"),
                ),
                align="center",
                spacing="2",
            ),
            id=UPLOAD_ID,
            accept={"application/zip": [".zip"], "application/x-zip-compressed": [".zip"]},
            max_files=1,
            max_size=MAX_UPLOAD_BYTES,
            multiple=False,
            on_drop_rejected=S.drop_rejected,
            border="2px dashed var(--gray-8)",
            border_radius="8px",
            padding="1.5rem",
            width="100%",
            data_testid="upload",
        ),
        rx.text(
            t("Un fichier zip de {limit} au plus.", limit=upload_limit()),
            size="2",
            color_scheme="gray",
            high_contrast=True,
        ),
        primary_button(
            t("Envoyer et comparer"),
            on_click=S.receive(rx.upload_files_chunk(upload_id=UPLOAD_ID)),  # type: ignore[misc]
            disabled=S.busy,
            data_testid="send",
        ),
        spacing="3",
        width="100%",
        align="stretch",
    )


def admin_content() -> rx.Component:
    return rx.vstack(
        admin_nav("/admin/referentiel"),
        rx.text(
            t(
                "Rien n'est écrit avant « Appliquer » : vous voyez d'abord le rapport de "
                "validation ou les différences. Pendant l'import, l'application continue de "
                "servir le référentiel en service, qui change d'un coup à la fin."
            ),
            size="3",
        ),
        upload_form(),
        rx.cond(
            S.busy,
            rx.vstack(
                rx.text(S.step, size="2"),
                rx.progress(value=S.progress, max=100, width="100%"),
                width="100%",
                data_testid="progress",
            ),
        ),
        rx.cond(
            S.error != "",
            notice(S.error, tone="alert", data_testid="admin-error"),
        ),
        rx.cond(
            S.report.length() > 0,
            rx.el.ul(
                rx.foreach(
                    S.report, lambda line: rx.el.li(line, style={"overflowWrap": "anywhere"})
                ),
                data_testid="report",
            ),
        ),
        rx.cond(
            S.message != "",
            notice(S.message, tone="success", data_testid="admin-message"),
        ),
        rx.cond(S.staging_id != "", preview()),
        section_heading(t("Versions")),
        rx.el.ul(rx.foreach(S.versions, version_row), class_name="cp-plain-list"),
        rx.cond(
            S.versions.length() == 0,
            rx.text(
                t(
                    "Aucune version enregistrée : le référentiel d'origine sera gardé au "
                    "premier changement."
                ),
                size="2",
            ),
        ),
        spacing="4",
        width="100%",
        align="stretch",
    )


@rx.page(
    route="/admin/referentiel",
    title=page_title("Référentiel — administration — careerpath"),
    on_load=S.load,
)
def referential_admin_page() -> rx.Component:
    return page_frame(
        page_heading(t("Administration du référentiel")),
        access_gate(S, admin_content()),
    )
