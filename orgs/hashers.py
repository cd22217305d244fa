from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Argon2id at the OWASP Password Storage Cheat Sheet's recommended setting: 19 MiB, 2 passes, 1 lane.

    Django's own defaults (100 MiB, 8 lanes) cost 0.28 s of CPU a login here, on two threads: the fifty staff
    of a morning logging in within ten seconds took the whole server for fourteen seconds, and a stream of
    wrong passwords for made-up names (axes only locks a name after five) could do the same at will. This
    setting costs 34 ms. Stored hashes keep their own parameters, so older ones still verify, and Django
    rewrites them with these at the user's next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
