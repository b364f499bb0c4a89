"""The experience sheet form, built from the field list so the two never drift apart."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (HiddenField, IntegerField, RadioField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n import language_name
from ..pages.forms import language_field, name_languages
from ..pages.models import Visibility
from .fields import LABELS, LIST_FIELDS, MAX_FIELD_LENGTH, SHEET_FIELDS, TEXT_FIELDS, YEAR_FIELDS

SHORT_FIELDS = ("commune", "town_fr", "budget")


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SheetForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Le titre est obligatoire.")), Length(max=200)])
    themes = CheckboxList(_l("Thèmes"), choices=[])
    group = SelectField(_l("Groupe thématique"), choices=[], validators=[Optional()])
    visibility = SelectField(_l("Qui peut lire cette fiche ?"), choices=[
        SelectChoice(Visibility.MEMBRES.value, _l("Membres du réseau")),
        SelectChoice(Visibility.GROUPE.value, _l("Membres du groupe thématique")),
        SelectChoice(Visibility.PUBLIC.value, _l("Tout le monde (public)")),
    ])
    status = RadioField(_l("État"), choices=[
        SelectChoice("publiee", _l("Publier")),
        SelectChoice("brouillon", _l("Garder en brouillon (visible de ses seuls auteurs)"))], default="publiee")
    body = TextAreaField(_l("Compléments (Markdown)"), validators=[Length(max=200_000)])
    language = language_field()
    summary = StringField(_l("Résumé de la modification"), validators=[Length(max=300)])
    base_revision = HiddenField()
    # One input per sheet field: fields.<key> keeps the names of the API.
    # Places outside the shipped list (older names, API input) stay accepted.
    region = SelectField(LABELS["region"], choices=[], validators=[Optional()], validate_choice=False)
    cercle = SelectField(LABELS["cercle"], choices=[], validators=[Optional()], validate_choice=False)
    partners_nord_directory = CheckboxList(_l("Dans l'annuaire"), choices=[])
    partners_sud_directory = CheckboxList(_l("Dans l'annuaire"), choices=[])

    def set_choices(self, *, themes, groups, regions: dict[str, list[str]], organisations) -> None:
        self.themes.choices = [SelectChoice(t.slug, t.name) for t in themes]
        name_languages(self.language, language_name)
        self.group.choices = [SelectChoice("", "—")] + [SelectChoice(g.slug, g.name) for g in groups]
        self.region.choices = [SelectChoice("", "—")] + [SelectChoice(r, r) for r in regions]
        self.cercle.choices = [SelectChoice("", "—")] + [
            SelectChoice(c, c, optgroup=region) for region, cercles in regions.items() for c in cercles]
        for side in ("nord", "sud"):
            getattr(self, f"partners_{side}_directory").choices = [
                SelectChoice(o.slug, o.name) for o in organisations if o.side == side]

    def sheet_fields(self) -> dict:
        """The submitted sections as the `fields` object of the API."""
        values = {}
        for key in SHEET_FIELDS:
            if key in LIST_FIELDS:
                chosen = list(getattr(self, f"{key}_directory").data or [])
                typed = [line.strip() for line in (getattr(self, key).data or "").splitlines() if line.strip()]
                values[key] = chosen + [t for t in typed if t not in chosen]
            else:
                values[key] = getattr(self, key).data
        return values

    def load_fields(self, fields: dict, organisation_slugs: set[str]) -> None:
        for key in SHEET_FIELDS:
            value = fields.get(key)
            if key in LIST_FIELDS:
                listed = value or []
                getattr(self, f"{key}_directory").data = [v for v in listed if v in organisation_slugs]
                getattr(self, key).data = "\n".join(v for v in listed if v not in organisation_slugs)
            else:
                getattr(self, key).data = value
        for key in ("region", "cercle"):
            value = fields.get(key)
            if value and value not in {c.value for c in getattr(self, key).choices}:
                getattr(self, key).choices.append(SelectChoice(value, value))


for _key in TEXT_FIELDS:
    if _key in ("region", "cercle"):
        continue
    _field = StringField if _key in SHORT_FIELDS else TextAreaField
    setattr(SheetForm, _key, _field(LABELS[_key], validators=[Optional(), Length(max=MAX_FIELD_LENGTH)]))
for _key in YEAR_FIELDS:
    setattr(SheetForm, _key, IntegerField(LABELS[_key], validators=[
        Optional(), NumberRange(1900, 2100, _l("Une année entre 1900 et 2100."))]))
for _key in LIST_FIELDS:
    setattr(SheetForm, _key, TextAreaField(_l("Autres (un par ligne)"), validators=[Optional(), Length(max=5000)]))
