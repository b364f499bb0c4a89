from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class GroupForm(FlaskForm):
    name = StringField(_l("Nom du groupe"), validators=[DataRequired(_l("Le nom est obligatoire.")), Length(max=200)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Length(max=5000)])


class JoinRequestForm(FlaskForm):
    message = TextAreaField(_l("Un mot pour les animateurs (facultatif)"), validators=[Optional(), Length(max=500)])


class AddMemberForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail du compte"), validators=[DataRequired(_l("L'adresse est obligatoire.")),
                                                                   Length(max=254)])
    animator = BooleanField(_l("Co-animateur ou co-animatrice du groupe"))


class GroupFilterForm(FlaskForm):
    """Filters of the group home, read from the query string (GET: no CSRF token)."""

    class Meta:
        csrf = False

    region = SelectField(_l("Région"), choices=[], validators=[Optional()])
    theme = SelectField(_l("Thème"), choices=[], validators=[Optional()])
    year = SelectField(_l("Année"), choices=[], validators=[Optional()])

    def set_choices(self, regions, themes, years) -> None:
        self.region.choices = [SelectChoice("", _("Toutes"))] + [SelectChoice(r, r) for r in regions]
        self.theme.choices = [SelectChoice("", _("Tous"))] + [SelectChoice(slug, name) for slug, name in themes]
        self.year.choices = [SelectChoice("", _("Toutes"))] + [SelectChoice(str(y), str(y)) for y in years]

    def values(self) -> dict:
        """The filters as service arguments (an unreadable year is ignored)."""
        year = (self.year.data or "").strip()
        return {"region": (self.region.data or "").strip() or None,
                "theme": (self.theme.data or "").strip() or None,
                "year": int(year) if year.isdigit() and len(year) == 4 else None}
