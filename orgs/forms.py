from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length checked before anyone tries to log in with it.

    ``AuthenticationForm`` sets the field's ``max_length`` only after the field is built, so the limit reached
    the browser but was never checked: an over-long name went on to authentication, and the lockout record
    (django-axes) of the failure could not be stored on PostgreSQL — a server error instead of a field error.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        limit = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
        self.fields["username"].validators.append(MaxLengthValidator(limit))
