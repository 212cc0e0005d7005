from django import template

from lyushunkou.workdays import calendar_warnings

register = template.Library()


@register.simple_tag
def calendar_warning_list() -> list[str]:
    return calendar_warnings()
