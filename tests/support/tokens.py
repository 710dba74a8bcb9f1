"""Bot Framework channel tokens signed by a local key, so auth tests never reach the internet.

botframework-connector caches OpenID signing keys per metadata URL in
`JwtTokenExtractor.metadataCache`; `offline_signing_keys` seeds that cache with a key generated
here (and a second, unknown one for forgeries) and restores it afterwards.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import jwt
from botframework.connector.auth import AuthenticationConstants
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdMetadata
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.settings import Settings

CHANNEL_ISSUER = "https://api.botframework.com"
TRUSTED_KID = "local-trusted-key"


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


TRUSTED_KEY = _private_key()
UNTRUSTED_KEY = _private_key()


@contextmanager
def offline_signing_keys() -> Iterator[None]:
    """Make the channel and emulator metadata URLs resolve to the local trusted key only."""
    jwk = json.loads(RSAAlgorithm.to_jwk(TRUSTED_KEY.public_key()))
    jwk.update({"kid": TRUSTED_KID, "endorsements": ["msteams", "emulator"]})
    urls = (
        AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
    )
    saved = {url: JwtTokenExtractor.metadataCache.get(url) for url in urls}
    for url in urls:
        metadata = _OpenIdMetadata(url)
        metadata.keys = [jwk]
        metadata.last_updated = datetime.now()  # noqa: DTZ005 - the library compares naive local times
        JwtTokenExtractor.metadataCache[url] = metadata
    try:
        yield
    finally:
        for url, previous in saved.items():
            if previous is None:
                JwtTokenExtractor.metadataCache.pop(url, None)
            else:
                JwtTokenExtractor.metadataCache[url] = previous


def channel_token(
    app_id: str,
    service_url: str,
    *,
    key: rsa.RSAPrivateKey = TRUSTED_KEY,
    kid: str = TRUSTED_KID,
    expires_in: int = 3600,
    **claims: Any,
) -> str:
    """A token as the Bot Connector would send it to the bot."""
    now = int(time.time())
    payload = {
        "iss": CHANNEL_ISSUER,
        "aud": app_id,
        "serviceurl": service_url,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + expires_in,
        **claims,
    }
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


APP_ID = "11111111-2222-3333-4444-555555555555"


def secured_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings with an app id (authentication on) over `data_dir`."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        DATA_DIR=data_dir,
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword="not-a-real-secret",
        **overrides,
    )
