"""Forms: what a POST sends is checked here before a view hands it to a service."""

from __future__ import annotations

from django import forms

from articles.models import ENTITY_TYPE_CHOICES, Entity, EntityAlias, ReaderPreference
from articles.selectors import ReadingView


class PasteForm(forms.Form):
    url = forms.CharField(
        label="Article URL",
        max_length=2048,
        # No autofocus: the list below it is read with the keyboard (static/js/shortcuts.js),
        # and a focused box would take every key.
        widget=forms.TextInput(
            attrs={"placeholder": "Paste an article URL", "autocomplete": "off"}
        ),
    )


class CurationForm(forms.Form):
    """A staff correction to one entity. The base form has no fields: a one-button action.

    Every curation form is bound to the entity it corrects, which sets its choices and
    initial values; ``submit_label`` names its button on the entity page.
    """

    submit_label = "Save"

    def __init__(self, *args, entity: Entity, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.entity = entity


class RenameForm(CurationForm):
    submit_label = "Rename"

    name = forms.CharField(label="Name", max_length=300)

    def __init__(self, *args, entity: Entity, **kwargs) -> None:
        super().__init__(*args, entity=entity, **kwargs)
        self.fields["name"].initial = entity.name


class SetTypeForm(CurationForm):
    submit_label = "Set type"

    type = forms.ChoiceField(label="Type", choices=ENTITY_TYPE_CHOICES)

    def __init__(self, *args, entity: Entity, **kwargs) -> None:
        super().__init__(*args, entity=entity, **kwargs)
        self.fields["type"].initial = entity.type


# An entity id: a positive whole number that a bigint primary key can hold.
ENTITY_ID = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class MergeForm(CurationForm):
    """The entity to merge into: its id, or its exact name within the same type."""

    submit_label = "Merge"

    target = forms.CharField(label="Merge into (name or id)", max_length=300)

    def clean_target(self) -> Entity:
        value = self.cleaned_data["target"].strip()
        others = Entity.objects.exclude(pk=self.entity.pk)
        try:  # an id as Django's integer field reads one ("²" is a digit, not a number)
            target_id = ENTITY_ID.clean(value)
        except forms.ValidationError:
            target = others.filter(type=self.entity.type, name__iexact=value).first()
        else:
            target = others.filter(pk=target_id).first()
        if target is None:
            raise forms.ValidationError(
                f"No other {self.entity.get_type_display().lower()} is called {value!r}."
            )
        return target


class AliasChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EntityAlias) -> str:
        """The spelling, with the key it matches when that differs from the spelling."""
        return obj.name if obj.name.lower() == obj.key else f"{obj.name} ({obj.key})"


class SplitAliasForm(CurationForm):
    """One of the entity's aliases, other than its own name, to give an entity of its own."""

    submit_label = "Split off"

    alias = AliasChoiceField(
        label="Split off a wrong alias", queryset=EntityAlias.objects.none(), empty_label=None
    )

    def __init__(self, *args, entity: Entity, **kwargs) -> None:
        super().__init__(*args, entity=entity, **kwargs)
        self.fields["alias"].queryset = entity.aliases.exclude(key=entity.key).order_by("name")


class IgnoreForm(CurationForm):
    submit_label = "Ignore: not a real entity"


class RestoreForm(CurationForm):
    submit_label = "Show again"


class ReadingForm(forms.Form):
    """One change to the reader's state of an article (the buttons on items and pages)."""

    ACTIONS = {
        "read": ("read", True),
        "unread": ("read", False),
        "save": ("saved", True),
        "unsave": ("saved", False),
        "hide": ("hidden", True),
        "unhide": ("hidden", False),
    }

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(
        choices=[("1", "follow"), ("0", "unfollow")], coerce=lambda value: value == "1"
    )


class ReaderPreferenceForm(forms.ModelForm):
    """The display preferences preferences.js sends when a logged-in reader changes one."""

    hidden_types = forms.MultipleChoiceField(
        choices=[(value.lower(), label) for value, label in ENTITY_TYPE_CHOICES], required=False
    )

    class Meta:
        model = ReaderPreference
        fields = ["theme", "highlight"]


class MarkAllReadForm(forms.Form):
    """The list to mark read, as the home page showed it: its view and filters, and the
    time it was shown (articles added since stay unread)."""

    view = forms.ChoiceField(choices=ReadingView.choices)
    source = forms.CharField(max_length=200, required=False)
    entity = forms.IntegerField(min_value=1, required=False)
    shown_at = forms.DateTimeField()


class UndoMarkReadForm(forms.Form):
    token = forms.UUIDField()


_ROW_ID = forms.IntegerField(min_value=1, max_value=2**63 - 1)


def row_id_or_none(value: str) -> int | None:
    """A row id from a request value, read as a form's IntegerField reads it (so "²" is
    no id), or None."""
    try:
        return _ROW_ID.clean(value)
    except forms.ValidationError:
        return None
