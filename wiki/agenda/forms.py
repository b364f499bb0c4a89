"""The event form: a page's form with the event's fields (names of the API's `fields`)."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ..pages.forms import PageForm
from .fields import EVENT_KINDS, MAX_PLACE, MAX_URL, TIME_ZONES

FORM_FIELDS = ("event_kind", "starts", "ends", "timezone", "place", "online_url")


class EventForm(PageForm):
    body = TextAreaField(_l("Description (Markdown)"), validators=[Length(max=200_000)])
    event_kind = SelectField(_l("Type d'événement"), choices=[SelectChoice(k, v) for k, v in EVENT_KINDS.items()])
    # Checked by agenda/fields.py, which says what is wrong in the reader's language.
    starts = StringField(_l("Début"), render_kw={"type": "datetime-local", "required": True})
    ends = StringField(_l("Fin"), render_kw={"type": "datetime-local"})
    timezone = SelectField(_l("Heures indiquées en"), choices=[SelectChoice(k, v) for k, v in TIME_ZONES.items()])
    place = StringField(_l("Lieu (ville)"), validators=[Length(max=MAX_PLACE)])
    online_url = StringField(_l("Lien de la réunion en ligne"), validators=[Length(max=MAX_URL)],
                             render_kw={"type": "url", "inputmode": "url"})

    def event_fields(self, stored: dict) -> dict:
        """The submitted fields; what the form does not show (the minutes' page) is kept."""
        return {**stored, **{key: (getattr(self, key).data or "").strip() for key in FORM_FIELDS}}

    def load_fields(self, fields: dict) -> None:
        for key in FORM_FIELDS:
            if key in fields:
                getattr(self, key).data = fields[key]

