"""plan route fields: training entry level, situations, the `action` kind; assessment
qualification level, age band, horizon and CPF balance

Revision ID: b7d2c1e0a9f3
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 10:00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = "b7d2c1e0a9f3"
down_revision: Union[str, Sequence[str], None] = "d4e5f6a7b8c9"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_KINDS = "kind IN ('diplome', 'titre_pro', 'certification', 'formation_courte', 'vae')"
NEW_KINDS = "kind IN ('diplome', 'titre_pro', 'certification', 'formation_courte', 'vae', 'action')"


def upgrade() -> None:
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entry_level", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "situations",
                sqlmodel.sql.sqltypes.AutoString(length=60),
                nullable=False,
                server_default="",
            )
        )
        batch_op.drop_constraint("ck_training_kind", type_="check")
        batch_op.create_check_constraint("ck_training_kind", NEW_KINDS)
        batch_op.create_check_constraint(
            "ck_training_entry_level", "entry_level IS NULL OR (entry_level BETWEEN 1 AND 8)"
        )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("qualification_level", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "age_band",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("horizon_months", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("cpf_balance_eur", sa.Float(), nullable=True))
        batch_op.create_check_constraint(
            "ck_assessment_qualification_level",
            "qualification_level IS NULL OR (qualification_level BETWEEN 1 AND 8)",
        )
        batch_op.create_check_constraint(
            "ck_assessment_horizon", "horizon_months IS NULL OR horizon_months > 0"
        )
        batch_op.create_check_constraint(
            "ck_assessment_cpf_balance", "cpf_balance_eur IS NULL OR cpf_balance_eur >= 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_constraint("ck_assessment_cpf_balance", type_="check")
        batch_op.drop_constraint("ck_assessment_horizon", type_="check")
        batch_op.drop_constraint("ck_assessment_qualification_level", type_="check")
        batch_op.drop_column("cpf_balance_eur")
        batch_op.drop_column("horizon_months")
        batch_op.drop_column("age_band")
        batch_op.drop_column("qualification_level")
    op.execute(
        "DELETE FROM training_outcome WHERE training IN (SELECT code FROM training WHERE kind = 'action')"
    )
    op.execute("DELETE FROM training WHERE kind = 'action'")
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.drop_constraint("ck_training_entry_level", type_="check")
        batch_op.drop_constraint("ck_training_kind", type_="check")
        batch_op.create_check_constraint("ck_training_kind", OLD_KINDS)
        batch_op.drop_column("situations")
        batch_op.drop_column("entry_level")
