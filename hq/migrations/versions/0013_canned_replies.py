"""Canned bilingual replies for complaints, edited by supervisors.

Revision ID: 0013_canned_replies
Revises: 0011_claims
Create Date: 2026-11-29

``canned_replies`` (docs/COMPLAINTS.md, "Canned replies"): a title, the Hindi and English texts, an
optional category, who changed it last and when, and a retired flag (a reply is retired, never
deleted). Three defaults are seeded, titled in both languages (a title is shown as written).
Fields in braces are filled by the console's composer from the case: ``{handle}``, ``{district}``,
``{reference}``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_canned_replies"
down_revision = "0011_claims"
branch_labels = None
depends_on = None

SEEDED_AT = "2026-11-29T00:00:00.000000Z"

DEFAULTS = [
    {
        "id": "acknowledge",
        "title": "पावती / Acknowledgement",
        "text_hi": "{handle} जी, आपकी शिकायत मिल गई है (संदर्भ {reference})। हम इस पर काम कर रहे हैं और जल्द ही "
        "आपको सूचित करेंगे।",
        "text_en": "{handle}, we have received your complaint (reference {reference}). We are looking into it "
        "and will update you soon.",
        "category": None,
    },
    {
        "id": "helplines",
        "title": "आपात और साइबर हेल्पलाइन / Emergency and cyber helplines",
        "text_hi": "{handle} जी, आपात स्थिति में तुरंत 112 पर कॉल करें। साइबर धोखाधड़ी की शिकायत 1930 पर या "
        "cybercrime.gov.in पर दर्ज करें। संदर्भ {reference}।",
        "text_en": "{handle}, in an emergency please call 112 at once. Report cyber fraud on the 1930 helpline "
        "or at cybercrime.gov.in. Reference {reference}.",
        "category": None,
    },
    {
        "id": "forwarded",
        "title": "ज़िले को भेजी गई / Forwarded to the district",
        "text_hi": "{handle} जी, आपकी शिकायत {district} पुलिस को आवश्यक कार्रवाई के लिए भेज दी गई है "
        "(संदर्भ {reference})।",
        "text_en": "{handle}, your complaint has been forwarded to {district} police for necessary action "
        "(reference {reference}).",
        "category": None,
    },
]


def upgrade() -> None:
    table = op.create_table(
        "canned_replies",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text_hi", sa.Text, nullable=False),
        sa.Column("text_en", sa.Text, nullable=False),
        sa.Column("category", sa.String(40), nullable=True),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.String(30), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
    )
    op.bulk_insert(
        table, [d | {"updated_by": "system", "updated_at": SEEDED_AT, "retired": False} for d in DEFAULTS]
    )


def downgrade() -> None:
    op.drop_table("canned_replies")
