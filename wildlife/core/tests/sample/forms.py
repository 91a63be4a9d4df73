from django import forms

from wildlife.core.tests.sample.models import SampleRecord


class SampleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SampleRecord
        fields = ["name"]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            data["version"] = data.get("version") or self.instance.version
        return data
