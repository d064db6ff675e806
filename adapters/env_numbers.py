"""Numbers read from the environment, with one error message for a setting that isn't one."""

from __future__ import annotations

from collections.abc import Mapping


def env_number(env: Mapping[str, str], name: str) -> float | None:
    """The setting ``name`` as a number, or ``None`` when it is unset or blank.

    Raises:
        ValueError: naming the setting, when it is set to something that is not a number.
    """
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
