import logging
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from payments import FraudStatus, PaymentError, PaymentStatus, RedirectNeeded
from payments import urls as payments_urls

from ala_site import page_cache
from ala_site.ratelimit import rate_limit
from ala_site.templatetags.site_tags import json_ld

from . import api, signals
from .cart import Cart, CartError
from .forms import AddToCartForm, CheckoutForm, RemoveFromCartForm, UpdateCartForm
from .models import Category, Order, OrderLine, Payment, Product, money

logger = logging.getLogger(__name__)

PAGE_SIZE = 12
SORTS = {
    "": ("Featured first", ("order", "title", "pk")),
    "title": ("Title (A–Z)", ("title", "pk")),
    "price": ("Price: low to high", ("price", "title", "pk")),
    "-price": ("Price: high to low", ("-price", "title", "pk")),
    "newest": ("Newest", ("-created_at", "-pk")),
}


# Neither the catalogue nor a product's page changes by the clock (products have no date windows):
# saves and stock changes renew them (store/models/orders.py bumps after its bulk stock updates).
@require_safe
@page_cache.shared_page
def catalogue(request):
    categories = list(Category.objects.filter(is_published=True))
    products = Product.objects.published().select_related("category")
    category = None
    if slug := request.GET.get("category"):
        category = next((c for c in categories if c.slug == slug), None)
        if category is None:
            raise Http404("No such category.")
        products = products.filter(category=category)
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        sort = ""
    page = Paginator(products.order_by(*SORTS[sort][1]), PAGE_SIZE).get_page(request.GET.get("page"))
    for product in page:
        product.buyer_price = product.price_for(request.user)
    query = {key: value for key, value in (("category", category and category.slug), ("sort", sort)) if value}
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "categories": categories,
        "category": category,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "query": "&".join(f"{key}={value}" for key, value in query.items()),
    }
    return render(request, "store/catalogue.html", context)


def _product_json_ld(request, product):
    url = settings.SITE_URL + product.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": product.short_description,
        "sku": product.slug,
        "url": url,
        "brand": {"@type": "Organization", "name": "American Library Association"},
        "offers": {
            "@type": "Offer",
            "price": str(product.price),
            "priceCurrency": product.currency,
            "availability": "https://schema.org/InStock" if product.in_stock else "https://schema.org/OutOfStock",
            "url": url,
        },
    }
    if product.category_id:
        data["category"] = product.category.name
    if product.image_rendition:
        data["image"] = settings.SITE_URL + product.image_rendition.url
    return json_ld(data)


def _render_product(request, product, form=None, status=200):
    form = form or AddToCartForm(initial={"product": product.pk, "quantity": 1})
    context = {
        "product": product,
        "form": form,
        "buyer_price": product.price_for(request.user),
        "is_member": getattr(request.user, "is_member", False),
        "in_cart": Cart(request).quantity_of(product),
        "json_ld": _product_json_ld(request, product),
    }
    return render(request, "store/product_detail.html", context, status=status)


@require_safe
@page_cache.shared_page
def product_detail(request, slug):
    product = get_object_or_404(Product.objects.select_related("category"), slug=slug)
    if not product.is_published and not request.user.is_staff:
        raise Http404("No such product.")
    return _render_product(request, product)


# Cart --------------------------------------------------------------------------------------


def _render_cart(request, cart, error_form=None, status=200):
    lines = cart.lines()
    if cart.dropped:
        messages.warning(request, "An item in your cart is no longer on sale, so we removed it.")
    for line in lines:
        if error_form is not None and error_form.data.get("product") == str(line.product.pk):
            line.form = error_form
        else:
            line.form = UpdateCartForm(
                initial={"product": line.product.pk, "quantity": line.quantity}, auto_id=f"cart-{line.product.pk}-%s"
            )
        line.remove_form = RemoveFromCartForm(auto_id=f"remove-{line.product.pk}-%s")
    context = {"cart": cart, "lines": lines, "total": cart.total}
    return render(request, "store/cart.html", context, status=status)


@require_safe
def cart_detail(request):
    return _render_cart(request, Cart(request))


@require_POST
@rate_limit("store-cart", limit=60, period=60)
def cart_add(request):
    form = AddToCartForm(request.POST)
    valid = form.is_valid()
    product = form.cleaned_data.get("product")
    if product is None:
        messages.error(request, form.errors["product"][0])
        return redirect("store:catalogue")
    if valid:
        try:
            Cart(request).add(product, form.cleaned_data["quantity"])
        except CartError as error:
            form.add_error("quantity", str(error))
        else:
            quantity = form.cleaned_data["quantity"]
            messages.success(request, f"Added {quantity} × “{product.title}” to your cart.")
            return redirect("store:cart")
    return _render_product(request, product, form, status=400)


@require_POST
@rate_limit("store-cart", limit=60, period=60)
def cart_update(request):
    cart = Cart(request)
    form = UpdateCartForm(request.POST, auto_id=f"cart-{request.POST.get('product', '')[:20]}-%s")
    valid = form.is_valid()
    product = form.cleaned_data.get("product")
    if product is None or not cart.quantity_of(product):
        messages.error(request, "That item is not in your cart any more.")
        return redirect("store:cart")
    if valid:
        try:
            cart.set(product, form.cleaned_data["quantity"])
        except CartError as error:
            form.add_error("quantity", str(error))
        else:
            messages.success(request, f"Updated “{product.title}”: {form.cleaned_data['quantity']} in your cart.")
            return redirect("store:cart")
    return _render_cart(request, cart, error_form=form, status=400)


@require_POST
@rate_limit("store-cart", limit=60, period=60)
def cart_remove(request):
    form = RemoveFromCartForm(request.POST)
    if form.is_valid() and Cart(request).remove(form.cleaned_data["product"]):
        messages.success(request, "Removed the item from your cart.")
    elif "website" in form.errors:
        messages.error(request, form.errors["website"][0])
    else:
        messages.error(request, "That item is not in your cart any more.")
    return redirect("store:cart")


# Checkout ----------------------------------------------------------------------------------


class CheckoutProblem(Exception):
    pass


def _cart_lines(request, cart):
    """Order lines for the cart, priced now from the database; problems stop the checkout."""
    lines = cart.lines()
    problems = [line.stock_problem for line in lines if line.stock_problem]
    if cart.dropped:
        problems.insert(0, "An item in your cart is no longer on sale, so we removed it.")
    if problems:
        raise CheckoutProblem(" ".join(problems) + " Please check your cart.")
    return [
        OrderLine(
            kind=OrderLine.Kind.PRODUCT,
            product=line.product,
            description=line.product.title,
            sku=line.product.slug,
            unit_price=line.unit_price,
            quantity=line.quantity,
        )
        for line in lines
    ]


def _direct_lines(direct):
    """Order lines for an app's direct checkout (see api.start_checkout); the items must still exist."""
    lines = []
    for data in direct["lines"]:
        line = OrderLine(
            kind=data["kind"],
            description=data["description"],
            unit_price=Decimal(data["unit_price"]),
            quantity=data["quantity"],
        )
        if data.get("content_type"):
            content_type = ContentType.objects.get_for_id(data["content_type"])
            model = content_type.model_class()
            if model is None or not model._default_manager.filter(pk=data["object_id"]).exists():
                raise CheckoutProblem(f"“{line.description}” is no longer available. Please start again.")
            line.content_type, line.object_id = content_type, data["object_id"]
        lines.append(line)
    return lines


def _create_order(request, form, lines, success_url=""):
    with transaction.atomic():
        order = form.save(commit=False)
        order.user = request.user if request.user.is_authenticated else None
        order.total = money(sum((line.unit_price * line.quantity for line in lines), Decimal("0")))
        order.success_url = success_url
        for _attempt in range(5):  # a clash of references is rare; try another
            if not Order.objects.filter(reference=order.reference).exists():
                break
            order.reference = Order._meta.get_field("reference").default()
        order.save()
        for line in lines:
            line.order = order
        OrderLine.objects.bulk_create(lines)
    return order


def _new_payment(request, order):
    first, _, last = order.name.partition(" ")
    return Payment.objects.create(
        order=order,
        variant=settings.PAYMENT_VARIANT,
        currency=order.currency,
        total=order.total,
        description=f"American Library Association order {order.reference}",
        billing_first_name=first,
        billing_last_name=last,
        billing_address_1=order.address_line1,
        billing_address_2=order.address_line2,
        billing_city=order.city,
        billing_postcode=order.postal_code,
        billing_country_area=order.region,
        billing_email=order.email,
        customer_ip_address=request.META.get("REMOTE_ADDR") or None,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("store-checkout", limit=10, period=600)
def checkout(request):
    pending_key = request.GET.get("pending")
    cart = Cart(request)
    direct = api.pending_checkout(request, pending_key) if pending_key else None
    if pending_key and direct is None:
        messages.error(request, "That checkout has expired or was already completed. Please start again.")
        return redirect("store:cart")
    try:
        lines = _direct_lines(direct) if direct else _cart_lines(request, cart)
    except CheckoutProblem as problem:
        messages.error(request, str(problem))
        return redirect("store:cart")
    if not lines:
        messages.info(request, "Your cart is empty: add something before you check out.")
        return redirect("store:cart")

    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    if direct and isinstance(direct.get("buyer"), dict):
        # What the buyer just gave the selling app (its form, their new account) is not asked again.
        initial.update(direct["buyer"])
    form = CheckoutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        order = _create_order(request, form, lines, success_url=direct["success_url"] if direct else "")
        _new_payment(request, order)
        if direct:
            api.forget_checkout(request, pending_key)
        else:
            cart.clear()
        return redirect(order.get_pay_link())

    context = {
        "form": form,
        "lines": lines,
        "total": money(sum((line.unit_price * line.quantity for line in lines), Decimal("0"))),
        "direct": bool(direct),
        "action": request.get_full_path(),
    }
    return render(request, "store/checkout.html", context, status=400 if request.method == "POST" else 200)


# Orders and payment --------------------------------------------------------------------------


def _order_for(request, reference):
    """The order, if this visitor may see it (owner or signed link); others get 404."""
    order = Order.objects.filter(reference=reference.upper()).select_related("user").first()
    if order is None or not order.can_be_seen_by(request):
        raise Http404("No such order.")
    return order


@require_safe
def order_detail(request, reference):
    order = _order_for(request, reference)
    context = {
        "order": order,
        "payment_notes": order.payment_notes(),
        "lines": order.lines.select_related("product"),
        "token": request.GET.get("token", ""),
    }
    return render(request, "store/order_detail.html", context)


def _tell_outcome(request, order, payment, provider_failed=False):
    """Flash what became of the payment, read back from the database after the provider's answer.

    Only what the order page does not say itself: the thanks, and that the provider did not answer.
    Everything else the order page shows from the order's and its payments' stored state, so it
    agrees with them however the buyer got there. A paid order with a success_url lands on the
    selling app's own page, which thanks the buyer for what they bought (a gift, a membership):
    the store's "order is paid" would name it wrongly there.
    """
    order.refresh_from_db()
    payment.refresh_from_db()
    if order.status == Order.Status.PAID and payment.settlement == Payment.Settlement.PAID_ORDER:
        if not order.success_url:
            messages.success(
                request, f"Thank you! Order {order.reference} is paid. A receipt is on its way to {order.email}."
            )
    elif provider_failed and payment.status not in (
        PaymentStatus.CONFIRMED,
        PaymentStatus.PREAUTH,
        PaymentStatus.REJECTED,
        PaymentStatus.ERROR,
    ):
        messages.error(request, "The payment service did not answer. Nothing was charged; please try again.")


# The dummy provider's fields for the test payment page's two buttons; its form (in a <details>)
# keeps every other combination for testing edge cases.
TEST_OUTCOMES = {
    "approve": {
        "status": PaymentStatus.CONFIRMED,
        "fraud_status": FraudStatus.ACCEPT,
        "gateway_response": "3ds-disabled",
    },
    "decline": {
        "status": PaymentStatus.REJECTED,
        "fraud_status": FraudStatus.ACCEPT,
        "gateway_response": "3ds-disabled",
    },
}


@require_http_methods(["GET", "POST"])  # not HEAD: opening the pay page starts a payment
@rate_limit("store-pay", limit=20, period=600)
def order_pay(request, reference):
    order = _order_for(request, reference)
    if not order.is_payable:
        messages.info(
            request, f"Order {order.reference} is {order.get_status_display().lower()}: there is nothing to pay."
        )
        return redirect(order.get_link())
    if (received := order.received_payment()) is not None:
        # Money is in hand but the order was not marked paid (the database was busy): try again
        # now, and never open a second payment meanwhile.
        signals.apply_payment(received)
        order.refresh_from_db()
        if order.status == Order.Status.PAID:
            messages.info(request, f"Order {order.reference} is paid: there is nothing to pay.")
        return redirect(order.get_link())
    if order.cancel_if_sold_out():
        messages.error(request, order.status_message)
        return redirect(order.get_link())
    payment = order.payments.filter(status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT]).first()
    if payment is None or payment.variant != settings.PAYMENT_VARIANT:
        payment = _new_payment(request, order)
    payment.base_url = request.build_absolute_uri("/").rstrip("/")
    try:
        form = payment.get_form(data=request.POST or None)
    except RedirectNeeded as needed:
        target = str(needed)
        if target in (payment.get_success_url(), payment.get_failure_url()):
            _tell_outcome(request, order, payment)
            # Where to land is decided now that the outcome is stored (the provider chose before).
            target = payment.get_success_url() if order.status == Order.Status.PAID else payment.get_failure_url()
        # Otherwise the provider's own step (3-D Secure, a hosted page) decides, and returns to the
        # order page, which shows what became of the payment.
        return redirect(target)
    except (PaymentError, OSError):
        logger.exception("Payment provider failed for order %s", order.reference)
        # The provider may have changed the payment before failing: say what is stored, not a guess.
        _tell_outcome(request, order, payment, provider_failed=True)
        return redirect(payment.get_success_url() if order.status == Order.Status.PAID else order.get_link())
    context = {"order": order, "form": form, "is_test_payment": payment.variant == "dummy"}
    if context["is_test_payment"]:
        context["test_outcomes"] = TEST_OUTCOMES
    return render(request, "store/pay.html", context, status=400 if request.method == "POST" else 200)


@csrf_exempt
def payment_webhook(request, variant):
    """django-payments' per-provider webhook, answering 404 for a provider that has none.

    The dummy provider raises NotImplementedError there, which would be a 500 for anyone who
    opens /payments/process/dummy/.
    """
    if variant != settings.PAYMENT_VARIANT:
        return JsonResponse({"error": "Unknown payment provider", "variant": variant}, status=404)
    try:
        return payments_urls.static_callback(request, variant)
    except NotImplementedError:
        return JsonResponse({"error": "This payment provider sends no webhooks", "variant": variant}, status=404)
