"""Forms of the directory: filters of the list, an organisation's entry."""
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.models import Side
from ..markup import slugify

SIDE_CHOICES = [SelectChoice(s.value, s.label) for s in Side]
ANY = SelectChoice("", _l("Tous"))


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("%(max)d caractères au plus."))  # WTForms fills in %(max)d


class DirectoryFilterForm(FlaskForm):
    """The list's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    side = SelectField(_l("Côté"), choices=[ANY, *SIDE_CHOICES], validate_choice=False)
    kind = SelectField(_l("Type"), choices=[], validate_choice=False)
    region = SelectField(_l("Région"), choices=[], validate_choice=False)

    def set_choices(self, kinds: list[str], regions: list[str]) -> None:
        self.kind.choices = [ANY, *(SelectChoice(k, k) for k in kinds)]
        self.region.choices = [SelectChoice("", _("Toutes")), *(SelectChoice(r, r) for r in regions)]
        # « segou » in the address selects « Ségou » in the list (the service ignores case and accents).
        for field, values in ((self.kind, kinds), (self.region, regions)):
            field.data = next((v for v in values if slugify(v) == slugify(field.data or "")), field.data)

    def filters(self) -> dict[str, str | None]:
        """side/kind/region for the service; None when unset."""
        return {name: (getattr(self, name).data or "").strip() or None for name in ("side", "kind", "region")}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[DataRequired(_l("Le nom est obligatoire.")), _at_most(200)])
    side = SelectField(_l("Côté"), choices=SIDE_CHOICES)
    kind = SelectField(_l("Type"), choices=[])
    town = StringField(_l("Ville ou commune"), validators=[Optional(), _at_most(120)])
    region = StringField(_l("Région"), validators=[Optional(), _at_most(120)])
    description = TextAreaField(_l("Présentation"), validators=[Optional(), _at_most(5000)])
    website = URLField(_l("Site web"), validators=[Optional(), _at_most(300)])
    contact = StringField(_l("Contact"), validators=[Optional(), _at_most(300)])

    def set_kind_choices(self, kinds: list[str]) -> None:
        self.kind.choices = [SelectChoice(k, k) for k in kinds]

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in
                ("name", "side", "kind", "town", "region", "description", "website", "contact")}
