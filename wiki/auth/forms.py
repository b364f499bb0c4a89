from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from .services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

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
