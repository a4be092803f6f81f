"""The signed-in user's schools for the navigation bar: one query per request, whatever includes it."""

from django import template

from ..models import Membership

register = template.Library()


@register.simple_tag(takes_context=True)
def my_memberships(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    if not hasattr(request, "_my_memberships"):
        request._my_memberships = list(
            Membership.objects.filter(user=request.user).select_related("school").order_by("school__name")
        )
    return request._my_memberships


@register.filter
def minutes(delta):
    """A timedelta as whole minutes (rounded up), e.g. the cool-off time after too many failed logins."""
    return -(-int(delta.total_seconds()) // 60)
