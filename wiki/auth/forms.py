from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from .passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

PASSWORD_LENGTH = Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH,
                         message=f"Entre {MIN_PASSWORD_LENGTH} et {MAX_PASSWORD_LENGTH} caractères.")


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired("Indiquez votre adresse."), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[DataRequired("Indiquez votre mot de passe."),
                                                         Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField("Rester connecté sur cet appareil")


class ChoosePasswordForm(FlaskForm):
    password = PasswordField("Nouveau mot de passe", validators=[DataRequired("Choisissez un mot de passe."),
                                                                 PASSWORD_LENGTH])
    confirm = PasswordField("Confirmez le mot de passe",
                            validators=[EqualTo("password", "Les deux mots de passe diffèrent.")])


class ChangePasswordForm(ChoosePasswordForm):
    current = PasswordField("Mot de passe actuel", validators=[DataRequired("Indiquez votre mot de passe actuel."),
                                                              Length(max=MAX_PASSWORD_LENGTH)])


class TokenForm(FlaskForm):
    name = StringField("Nom du jeton (à quoi il sert)", validators=[Length(max=100)])


class CodeForm(FlaskForm):
    """Second step of a login, and confirmation of the two-factor setup."""
    code = StringField("Code", validators=[DataRequired("Saisissez le code."), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"})


class PasswordConfirmForm(FlaskForm):
    """Turning two-factor login off, or new recovery codes: the password is asked again."""
    password = PasswordField("Mot de passe", validators=[DataRequired("Indiquez votre mot de passe."),
                                                         Length(max=MAX_PASSWORD_LENGTH)])


class TotpSetupForm(CodeForm):
    """Enabling two-factor login asks the password too: with a stolen session alone, nobody can
    lock the owner out of the account behind a phone of their own."""
    password = PasswordField("Mot de passe", validators=[DataRequired("Indiquez votre mot de passe."),
                                                         Length(max=MAX_PASSWORD_LENGTH)])
