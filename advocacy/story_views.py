"""Share your story (a public form) and the stories people agreed to publish."""

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from ala_site import page_cache
from ala_site.emails import send_templated_email_on_commit
from ala_site.ratelimit import rate_limit

from .models import Story
from .story_forms import StoryForm

PAGE_SIZE = 12


# Its empty form (GET) is the same for every anonymous visitor (a signed-in one's is prefilled,
# and never shared): shared; a POST is never served from the cache.
@require_http_methods(["GET", "HEAD", "POST"])
@page_cache.shared_page
@rate_limit("story", limit=5, period=600)
def story_new(request):
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    # Bound on every POST, even an empty one, so a submission always gets its messages.
    form = StoryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    story = form.save()
            except IntegrityError:
                # The same story from the same address is stored already (a double-click, a
                # reload, a second try): not stored twice, and no second email.
                if not Story.objects.filter(fingerprint=form.instance.fingerprint).exists():
                    raise
            else:
                send_templated_email_on_commit("advocacy/email/story_received", {"story": story}, story.email)
        # The same page either way: it is the sender's own story.
        return redirect("advocacy:story_thanks")
    return render(request, "advocacy/story_new.html", {"form": form})


@require_safe
def story_thanks(request):
    return render(request, "advocacy/story_thanks.html")


@require_safe
@page_cache.shared_page
def story_list(request):
    # Only the public parts are read: a page never holds an author's email, even in memory.
    stories = Story.objects.public().only("name", "library", "city", "state", "story", "moderated_at")
    page = Paginator(stories.order_by("-moderated_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
    }
    return render(request, "advocacy/story_list.html", context)
