"""The one shape of every state-changing POST: one object, one permission, one service call, errors back on
the page.

An app's action view names the object it acts on (``get_object``, scoped through ``orgs.access``; ``None`` for
a new record), the ``permissions.can_*`` that decides (``decision`` — a view that names none is refused), the
form of the step (optional), the service call (``perform``) and where to go afterwards; a service's
ValidationError lands next to the form's fields (``attach_errors``) or, for a refusal, as a message on the
object's page. A step whose answer is a page rather than a redirect (an import's preview) overrides ``act``;
``post`` itself is never overridden, so no POST reaches a service without its ``decision``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView

from .access import RoleRequiredMixin, deny
from .forms import attach_errors
from .workflow import require_or_403

FORM_INVALID = "提交内容有误，未保存："
#: What a view that names no permission answers: an action nobody declared is nobody's to take.
NO_DECISION = "该操作未声明权限，已拒绝。"


def form_error_summary(form) -> str:
    """One line naming each field and its errors, for a step whose form is not on the page it returns to."""
    parts = [
        f"{form.fields[name].label if name in form.fields else ''}：{'；'.join(errors)}".lstrip("：")
        for name, errors in form.errors.items()
    ]
    return FORM_INVALID + "；".join(parts)


class ActionView(RoleRequiredMixin, View):
    """POST only (a GET never writes): one step on one object, then back to the object's page.

    A page that also shows something on GET (a list with its form) adds ``get`` and ``"get"`` to
    ``http_method_names``; its GET must write nothing.
    """

    http_method_names = ["post"]
    form_class = None
    form_name = ""
    step = None  # the declared ``orgs.workflow.Step`` this view carries out, if any
    done_message = ""  # the success message of a view without a step

    @property
    def done(self) -> str:
        step = self.current_step()
        return step.done if step is not None else self.done_message

    def current_step(self):
        return self.step

    def dispatch(self, request, *args, **kwargs):
        # A role that never takes the step is refused with the step's own reason, before anything is looked up.
        step = self.current_step()
        if step is not None and request.user.is_authenticated:
            require_or_403(step.role_decision(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, **kwargs):
        """The object acted on, scoped through ``orgs.access`` (default: none — the step creates one)."""
        return None

    def decision(self, obj):
        """The app's ``permissions.can_*`` answer for this step on ``obj``; every view names its own."""
        return deny(NO_DECISION)

    def get_form(self, obj, data=None, files=None):
        return self.form_class(data, files) if self.form_class else None

    def perform(self, obj, user, data) -> None:
        raise NotImplementedError

    def success_url(self, obj) -> str:
        raise NotImplementedError

    def render_invalid(self, obj, form):
        """The object's page with the refused form (default: back to the page with a summary message)."""
        messages.error(self.request, form_error_summary(form))
        return redirect(self.success_url(obj))

    def refused(self, obj, decision):
        """A POST the page would not have offered (the object moved on meanwhile): the reason on its page;
        a view with no page of its object to return to answers 403 with the reason."""
        if type(self).success_url is ActionView.success_url:
            raise PermissionDenied(decision.reason)
        messages.error(self.request, decision.reason)
        return redirect(self.success_url(obj))

    def post(self, request, **kwargs):
        obj = self.get_object(**kwargs)
        decision = self.decision(obj)
        if not decision:
            return self.refused(obj, decision)
        return self.act(request, obj, **kwargs)

    def act(self, request, obj, **kwargs):
        """The step once allowed: the form, the service, the message, back to the object's page."""
        form = self.form = self.get_form(obj, request.POST, request.FILES)
        if form is not None and not form.is_valid():
            return self.render_invalid(obj, form)
        try:
            self.perform(obj, request.user, form.cleaned_data if form is not None else request.POST)
        except ValidationError as exc:
            if form is not None and hasattr(exc, "error_dict"):
                attach_errors(form, exc)
                return self.render_invalid(obj, form)
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, self.done)
        return redirect(self.success_url(obj))


class ActionFormView(ActionView):
    """A step whose form is a page of its own: GET shows the form (and writes nothing), POST acts as above and
    shows the form again, errors next to the fields, when the form or the service refuses."""

    http_method_names = ["get", "post"]
    template_name = ""
    title = ""

    def get_context_data(self, obj, form, **kwargs) -> dict:
        return {"object": obj, "form": form, "title": self.title, **kwargs}

    def get(self, request, **kwargs):
        obj = self.get_object(**kwargs)
        require_or_403(self.decision(obj))
        return render(request, self.template_name, self.get_context_data(obj, self.get_form(obj)))

    def render_invalid(self, obj, form):
        return render(self.request, self.template_name, self.get_context_data(obj, form))


class ActionFormPage(ActionView, FormView):
    """A record opened from a page of its own, on Django's ``FormView``: GET shows the form (writes nothing);
    POST asks ``decision`` first, as every action view does, then validates and calls ``form_valid``."""

    http_method_names = ["get", "post"]
    get_form = FormView.get_form  # Django's form page, not an action view's step form

    def act(self, request, obj, **kwargs):
        return FormView.post(self, request, **kwargs)
