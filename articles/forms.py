from __future__ import annotations

from django import forms

from articles.models import Entity, EntityType


class PasteForm(forms.Form):
    url = forms.CharField(
        label="Article URL",
        max_length=2048,
        widget=forms.TextInput(
            attrs={"placeholder": "Paste an article URL", "autocomplete": "off", "autofocus": True}
        ),
    )


class RenameForm(forms.Form):
    name = forms.CharField(max_length=300)


class SetTypeForm(forms.Form):
    type = forms.ChoiceField(choices=EntityType.choices)


class MergeForm(forms.Form):
    """The entity to merge into: its id, or its exact name within the same type."""

    target = forms.CharField(max_length=300, label="Merge into")

    def __init__(self, *args, entity: Entity, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entity = entity

    def clean_target(self) -> Entity:
        value = self.cleaned_data["target"].strip()
        others = Entity.objects.exclude(pk=self.entity.pk)
        target = (
            others.filter(pk=int(value)).first()
            if value.isdigit()
            else others.filter(type=self.entity.type, name__iexact=value).first()
        )
        if target is None:
            raise forms.ValidationError(
                f"No other {self.entity.get_type_display().lower()} is called {value!r}."
            )
        return target


class SplitAliasForm(forms.Form):
    alias = forms.IntegerField()
