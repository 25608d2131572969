from __future__ import annotations

import base64
import hashlib
import hmac

from pydantic import SecretStr

from shopspot.signatures import is_valid, sign

BODY = b'{"id":820982911946154508,"email":"jon@example.com"}'


def test_sign_is_base64_hmac_sha256_of_the_raw_body() -> None:
    expected = base64.b64encode(hmac.new(b"secret", BODY, hashlib.sha256).digest()).decode()

    assert sign(BODY, "secret") == expected


def test_any_configured_secret_is_accepted_during_a_rotation() -> None:
    secrets = [SecretStr("new"), SecretStr("old")]

    assert is_valid(BODY, sign(BODY, "old"), secrets)
    assert is_valid(BODY, sign(BODY, "new"), secrets)
    assert not is_valid(BODY, sign(BODY, "other"), secrets)


def test_missing_malformed_or_tampered_signatures_are_refused() -> None:
    secrets = [SecretStr("secret")]

    assert not is_valid(BODY, None, secrets)
    assert not is_valid(BODY, "", secrets)
    assert not is_valid(BODY, "ünïcode", secrets)
    assert not is_valid(BODY + b" ", sign(BODY, "secret"), secrets)
