from django.urls import path

from . import views

app_name = "store"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/update/", views.cart_update, name="cart_update"),
    path("cart/remove/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<str:reference>/", views.order_detail, name="order"),
    path("orders/<str:reference>/pay/", views.order_pay, name="order_pay"),
    # Last, so a product never hides a page above (see models.RESERVED_SLUGS).
    path("<slug:slug>/", views.product_detail, name="product"),
]
