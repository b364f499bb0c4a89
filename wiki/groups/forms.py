from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class GroupForm(FlaskForm):
    name = StringField("Nom du groupe", validators=[DataRequired("Le nom est obligatoire."), Length(max=200)])
    description = TextAreaField("Description (Markdown)", validators=[Length(max=5000)])


class JoinRequestForm(FlaskForm):
    message = TextAreaField("Un mot pour les animateurs (facultatif)", validators=[Optional(), Length(max=500)])


class AddMemberForm(FlaskForm):
    email = EmailField("Adresse e-mail du compte", validators=[DataRequired("L'adresse est obligatoire."),
                                                               Length(max=254)])
    animator = BooleanField("Co-animateur ou co-animatrice du groupe")


class GroupFilterForm(FlaskForm):
    """Filters of the group home, read from the query string (GET: no CSRF token)."""

    class Meta:
        csrf = False

    region = SelectField("Région", choices=[], validators=[Optional()])
    theme = SelectField("Thème", choices=[], validators=[Optional()])
    year = SelectField("Année", choices=[], validators=[Optional()])

    def set_choices(self, regions, themes, years) -> None:
        self.region.choices = [SelectChoice("", "Toutes")] + [SelectChoice(r, r) for r in regions]
        self.theme.choices = [SelectChoice("", "Tous")] + [SelectChoice(slug, name) for slug, name in themes]
        self.year.choices = [SelectChoice("", "Toutes")] + [SelectChoice(str(y), str(y)) for y in years]

    def values(self) -> dict:
        """The filters as service arguments (an unreadable year is ignored)."""
        year = (self.year.data or "").strip()
        return {"region": (self.region.data or "").strip() or None,
                "theme": (self.theme.data or "").strip() or None,
                "year": int(year) if year.isdigit() and len(year) == 4 else None}
