from django import forms

from ala_site.forms import HoneypotMixin

from .models import Story
from .models.stories import STATES, STORY_MAX_LENGTH

YES_NO = [("yes", "Yes"), ("no", "No")]


class ConsentField(forms.TypedChoiceField):
    """A yes-or-no question that must be answered: a consent is never assumed from an unticked box."""

    def __init__(self, label, required_message, **kwargs):
        super().__init__(
            label=label,
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            error_messages={"required": required_message, "invalid_choice": required_message},
            **kwargs,
        )


class StoryForm(HoneypotMixin, forms.ModelForm):
    congress_consent = ConsentField(
        "May we pass your story on to your members of Congress?",
        "Tell us whether we may pass your story on to members of Congress.",
        help_text="With your name, library, city and state. We never give them your email address.",
    )
    publish_consent = ConsentField(
        "May we publish your story on this website?",
        "Tell us whether we may publish your story on this website.",
        help_text="Published stories show your name as you gave it, your library, city and state; never your email.",
    )

    class Meta:
        model = Story
        fields = ["name", "email", "library", "city", "state", "zip_code", "story"]
        labels = {"name": "Your name", "email": "Your email", "library": "Your library"}
        help_texts = {
            "email": "We send you a confirmation and may ask before using your story. It is never published.",
            "library": "The library your story is about, e.g. Springfield Public Library.",
            "story": f"How has your library helped you or your community? At most {STORY_MAX_LENGTH:,} characters.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "state": forms.Select(attrs={"autocomplete": "address-level1"}),
            "zip_code": forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
            "story": forms.Textarea(attrs={"rows": 10, "maxlength": STORY_MAX_LENGTH}),
        }
        error_messages = {
            "name": {"required": "Enter your name."},
            "email": {
                "required": "Enter your email address.",
                "invalid": "Enter an email address like name@example.org.",
            },
            "library": {"required": "Enter the name of your library."},
            "city": {"required": "Enter your city or town."},
            "state": {"required": "Choose your state.", "invalid_choice": "Choose your state from the list."},
            "zip_code": {"required": "Enter your ZIP code."},
            "story": {"required": "Tell us your story."},
        }

    field_order = [
        "name",
        "email",
        "library",
        "city",
        "state",
        "zip_code",
        "story",
        "congress_consent",
        "publish_consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Choose your state")] + STATES

    def clean_story(self):
        # Browsers count a line break as one character and send two (\r\n): count it as they do.
        story = self.cleaned_data["story"].replace("\r\n", "\n").strip()
        if len(story) > STORY_MAX_LENGTH:
            raise forms.ValidationError(
                f"Your story is {len(story):,} characters long; please shorten it to {STORY_MAX_LENGTH:,} at most."
            )
        return story

    def save(self, commit=True):
        story = super().save(commit=False)
        story.congress_consent = self.cleaned_data["congress_consent"]
        story.publish_consent = self.cleaned_data["publish_consent"]
        if commit:
            story.save()
        return story
