"""What a failed submit shows above a form: its problems, each linked to its field, and the
page title's "Error: " (templates use them through site_tags' error_summary and error_title_prefix).
"""

from django.forms import BaseForm


def field_anchor(bound_field):
    """The id a summary link goes to: the field's input, or the first of a group of radios or boxes."""
    if bound_field.is_hidden:
        return None
    if bound_field.id_for_label:
        return bound_field.id_for_label
    # Django gives a group of radios or checkboxes no id of its own (its label is a legend).
    subwidgets = bound_field.subwidgets
    return subwidgets[0].id_for_label if subwidgets else None


def _label(bound_field, about):
    label = str(bound_field.label or bound_field.name).rstrip(" .:")
    return f"{label} ({about})" if about else label


def problems(*forms, links=True, about=""):
    """Each error of the bound `forms`: {"text", "anchor"}; anchor is None for what no field shows.

    A form lists in `error_summary_text_only` the fields its page does not render as a control of
    its own (a honeypot, a choice made with buttons): their errors are told, not linked.
    """
    found = []
    for form in forms:
        if not isinstance(form, BaseForm) or not form.is_bound:
            continue
        found += [{"text": str(error), "anchor": None} for error in form.non_field_errors()]
        text_only = set(getattr(form, "error_summary_text_only", ()))
        for bound_field in form:
            anchor = field_anchor(bound_field) if links and bound_field.name not in text_only else None
            for error in bound_field.errors:
                text = f"{_label(bound_field, about)}: {error}" if anchor else str(error)
                found.append({"text": text, "anchor": anchor})
    return found


def context_has_errors(context):
    """Whether a template's context holds a submitted form that was refused."""
    # type(), not isinstance(): isinstance on a context processor's lazy value (the user, the CSRF
    # token, messages) evaluates it, which cost most of a signed-in page's render. Forms are never lazy.
    return any(
        issubclass(type(value), BaseForm) and value.is_bound and bool(value.errors)
        for value in context.flatten().values()
    )
