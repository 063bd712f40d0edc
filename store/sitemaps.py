from ala_site.sitemaps import RowsSitemap

from .models import Product


class ProductSitemap(RowsSitemap):
    changefreq = "weekly"
    priority = 0.6
    model = Product
    url_name = "store:product"

    def rows(self):
        return Product.objects.published()
