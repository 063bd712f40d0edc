from django import forms

from ala_site.forms import HoneypotMixin

from .models import MAX_QUANTITY, Order, Product

QUANTITY_ERRORS = {
    "required": "Enter a quantity.",
    "invalid": "Enter the quantity as a whole number, like 2.",
    "min_value": "Enter a quantity of at least 1.",
    "max_value": f"You can buy at most {MAX_QUANTITY} of one item per order.",
}


class ProductChoiceField(forms.ModelChoiceField):
    """A product on sale, by id; anything else (tampered, unpublished, deleted) is refused."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Product.objects.published(),
            widget=forms.HiddenInput,
            error_messages={
                "required": "Choose a product.",
                "invalid_choice": "Sorry, that product is not on sale.",
            },
            **kwargs,
        )


def quantity_field(**kwargs):
    return forms.IntegerField(
        label="Quantity",
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages=QUANTITY_ERRORS,
        widget=forms.NumberInput(attrs={"class": "form-control quantity-input", "inputmode": "numeric"}),
        **kwargs,
    )


class AddToCartForm(HoneypotMixin):
    product = ProductChoiceField()
    quantity = quantity_field(initial=1)

    field_order = ["product", "quantity", "website"]


class UpdateCartForm(HoneypotMixin):
    product = ProductChoiceField()
    quantity = quantity_field()

    field_order = ["product", "quantity", "website"]


class RemoveFromCartForm(HoneypotMixin):
    product = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages={"invalid": "Choose an item."})


class CheckoutForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Order
        fields = ["name", "email", "address_line1", "address_line2", "city", "region", "postal_code", "country"]
        labels = {"name": "Full name", "email": "Email address", "address_line1": "Street address"}
        help_texts = {"email": "We send the receipt and the link to your order here."}
        error_messages = {
            "name": {"required": "Enter your name."},
            "email": {
                "required": "Enter your email address.",
                "invalid": "Enter an email address like name@example.org.",
            },
            "address_line1": {"required": "Enter the street address for billing."},
            "city": {"required": "Enter the city."},
            "postal_code": {"required": "Enter the ZIP or postal code."},
            "country": {"required": "Enter the country."},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "address_line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "region": forms.TextInput(attrs={"autocomplete": "address-level1"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "country": forms.TextInput(attrs={"autocomplete": "country-name"}),
        }

    field_order = [*Meta.fields, "website"]
