"""The call form: a page's form with the call's fields (names of the API's `fields`)."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ..agenda.fields import MAX_URL
from ..pages.forms import PageForm
from ..sheets.forms import CheckboxList
from .fields import CURRENCIES, ELIGIBILITY, TEXT_LIMITS

TEXT_FIELDS = ("funder", "link", "opens_on", "closes_on", "amount_min", "amount_max", "currency")
LIST_FIELDS = ("eligibility", "regions")


class CallForm(PageForm):
    body = TextAreaField(_l("Description (Markdown)"), validators=[Length(max=200_000)])
    funder = StringField(_l("Financeur"), validators=[Length(max=TEXT_LIMITS["funder"])])
    link = StringField(_l("Lien vers l'appel"), validators=[Length(max=MAX_URL)],
                       render_kw={"type": "url", "inputmode": "url"})
    # Dates and amounts are checked by funding/fields.py, in the reader's language.
    opens_on = StringField(_l("Ouverture"), render_kw={"type": "date"})
    closes_on = StringField(_l("Date limite de dépôt"), render_kw={"type": "date", "required": True})
    amount_min = StringField(_l("Montant minimum"), render_kw={"inputmode": "numeric"})
    amount_max = StringField(_l("Montant maximum"), render_kw={"inputmode": "numeric"})
    currency = SelectField(_l("Monnaie"), choices=[SelectChoice(k, v) for k, v in CURRENCIES.items()])
    eligibility = CheckboxList(_l("Qui peut répondre ?"), choices=[SelectChoice(k, v) for k, v in ELIGIBILITY.items()])
    regions = CheckboxList(_l("Régions (Mali)"), choices=[], validate_choice=False)
    themes = CheckboxList(_l("Thèmes"), choices=[], validate_choice=False)

    def set_choices(self, *, groups, themes, regions) -> None:
        self.set_group_choices(groups)
        self.themes.choices = [SelectChoice(t.slug, t.name) for t in themes]
        self.regions.choices = [SelectChoice(r, r) for r in regions]

    def call_fields(self) -> dict:
        fields = {key: (getattr(self, key).data or "").strip() for key in TEXT_FIELDS}
        fields.update({key: list(getattr(self, key).data or []) for key in LIST_FIELDS})
        if not fields["amount_min"] and not fields["amount_max"]:
            fields["currency"] = ""
        return fields

    def load_fields(self, fields: dict) -> None:
        for key in (*TEXT_FIELDS, *LIST_FIELDS):
            if key in fields:
                value = fields[key]
                getattr(self, key).data = value if key in LIST_FIELDS else str(value)
