from __future__ import annotations

from django import forms

# An OPML list of thousands of feeds is well under this.
MAX_OPML_BYTES = 2 * 1024 * 1024


class SubscribeForm(forms.Form):
    url = forms.CharField(
        label="Feed or site URL",
        max_length=2048,
        widget=forms.TextInput(
            attrs={"placeholder": "Paste a feed or site URL", "autocomplete": "off"}
        ),
    )
    # Set when the user picked one of several feeds found on a page: subscribe directly.
    chosen = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RenameForm(forms.Form):
    title = forms.CharField(max_length=500, required=False, label="Name")


class MoveForm(forms.Form):
    folder = forms.CharField(max_length=200, required=False, label="Folder")


class OpmlImportForm(forms.Form):
    file = forms.FileField(label="OPML file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_OPML_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        return upload
