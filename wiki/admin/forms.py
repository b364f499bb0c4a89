from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.models import Role, Side

SIDE_CHOICES = [SelectChoice(s.value, s.label) for s in Side]
ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


class UserForm(FlaskForm):
    name = StringField("Nom affiché", validators=[DataRequired("Le nom est obligatoire."), Length(max=120)])
    side = SelectField("Côté", choices=SIDE_CHOICES)
    role = SelectField("Rôle", choices=ROLE_CHOICES, default=Role.CONTRIBUTEUR.value)
    organisation = SelectField("Organisation", choices=[], validators=[Optional()])

    def set_organisation_choices(self, organisations) -> None:
        self.organisation.choices = [SelectChoice("", "—")] + [SelectChoice(o.slug, o.name) for o in organisations]


class NewUserForm(UserForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired("L'adresse est obligatoire."), Length(max=254)])


class EditUserForm(UserForm):
    is_enabled = BooleanField("Compte actif")


class UnlockForm(FlaskForm):
    """Lift the login throttle of the account, or of one address when `address` is given."""
    address = HiddenField(validators=[Optional(), Length(max=64)])
