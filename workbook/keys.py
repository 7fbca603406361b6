"""Join codes, facilitator keys and resume tokens: making them, hashing them, checking them;
the key two names are compared by (`name_key`); and `slug`, the one way a name becomes
part of a file name or an id."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

# Join codes avoid characters that are confused when read aloud or typed: no 0/O, 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def normalise_join_code(text: str) -> str:
    """Accept 'abc 234', 'ABC-234', ' abc234 ' alike; return 'ABC234' (or '' if unusable)."""
    return re.sub(r"[^A-Za-z0-9]", "", text or "").upper()[: JOIN_CODE_LENGTH + 4]


# A zero-width space separates words without showing a space: compared as a space.
_ZERO_WIDTH_SPACE = "\u200b"


def name_key(name: str) -> str:
    """How two names (of groups, of stakeholders on a map) are compared: as NFKC, case-folded
    (full-width letters and digits as the ones they show, "\uff34\uff41\uff42\uff4c\uff45"
    as "Table"; an accent typed apart as the accented letter; "ß" as "ss"), ignoring spaces
    around and between words, and invisible format characters (zero-width joiners, bidi marks
    and controls, byte order marks; a zero-width space counts as a space). Names themselves
    keep them as typed (an emoji or a Persian name needs its joiners); only the comparison
    folds them, so "b group", " B group ", "B\u200bgroup" and "\uff22 group" all name the
    group "B group"."""
    text = unicodedata.normalize("NFKC", name).replace(_ZERO_WIDTH_SPACE, " ")
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    # Case folding can leave text that is not NFKC: normalised once more (as Unicode's
    # NFKC_Casefold does).
    return " ".join(unicodedata.normalize("NFKC", text.casefold()).split())


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_facilitator_key() -> str:
    """Four groups of four readable characters: about 79 bits, easy to copy from a screen."""
    chars = [secrets.choice(JOIN_CODE_ALPHABET) for _ in range(16)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, 16, 4))


def hash_key(key: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(_key_bytes(key), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def key_matches(key: str, stored: str) -> bool:
    """Constant-time comparison of a typed key with its stored scrypt hash."""
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hash_key(key, salt=salt).split("$")[2]
    return hmac.compare_digest(candidate, digest_hex)


def _key_bytes(key: str) -> bytes:
    # Keys are shown in upper case with dashes; accept them typed any way.
    return re.sub(r"[^A-Za-z0-9]", "", key).upper()[:64].encode()


def new_resume_token() -> str:
    return secrets.token_urlsafe(18)


def token_hash(token: str) -> str:
    # Resume tokens carry 144 random bits, so a plain SHA-256 is enough to keep them out of
    # the database file (a copied backup cannot be used to impersonate anyone).
    return hashlib.sha256(token.encode()).hexdigest()


# Letters NFKD does not take apart into a base letter and an accent (Danish, Norwegian,
# German, Icelandic, Polish), written as in an ASCII address.
_SPELLED_OUT = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "þ": "th", "ð": "d", "ł": "l", "œ": "oe"}
)


def slug(text: str, limit: int = 40) -> str:
    """A name as safe ASCII for a file name or an id: lower case, æ as ae, ø as oe, å as aa,
    other accents dropped (é as e), anything else between words one '-', at most `limit`
    characters; '' when nothing is left (a name in another script). 'Forårsmøde for Ådalens'
    -> 'foraarsmoede-for-aadalens'."""
    spelled = text.lower().translate(_SPELLED_OUT)
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", spelled) if not unicodedata.combining(char)
    )
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].strip("-")
