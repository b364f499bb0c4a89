from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.models import Role, Side

SIDE_CHOICES = [SelectChoice(s.value, s.label) for s in Side]
ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


class UserForm(FlaskForm):
    name = StringField(_l("Nom affiché"), validators=[DataRequired(_l("Le nom est obligatoire.")), Length(max=120)])
    side = SelectField(_l("Côté"), choices=SIDE_CHOICES)
    role = SelectField(_l("Rôle"), choices=ROLE_CHOICES, default=Role.CONTRIBUTEUR.value)
    organisation = SelectField(_l("Organisation"), choices=[], validators=[Optional()])

    def set_organisation_choices(self, organisations) -> None:
        self.organisation.choices = [SelectChoice("", "—")] + [SelectChoice(o.slug, o.name) for o in organisations]


class NewUserForm(UserForm):
    email = EmailField(_l("Adresse e-mail"),
                       validators=[DataRequired(_l("L'adresse est obligatoire.")), Length(max=254)])


class EditUserForm(UserForm):
    is_enabled = BooleanField(_l("Compte actif"))


class UnlockForm(FlaskForm):
    """Lift the login throttle of the account, or of one address when `address` is given."""
    address = HiddenField(validators=[Optional(), Length(max=64)])
