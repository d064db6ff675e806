"""Golden files for the Block Kit renderers: compare with ``golden/<name>.json``.

Run with ``UPDATE_GOLDEN=1`` to write the files afresh after a deliberate change, then read the
diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, data: Any) -> None:
    """Fail unless ``data`` equals the stored golden file (or rewrite it with UPDATE_GOLDEN=1)."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        if os.environ.get("UPDATE_GOLDEN") != "1" and os.environ.get("CI"):
            raise AssertionError(f"golden file {path.name} is missing; run with UPDATE_GOLDEN=1")
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"{path.name} differs from the rendered output; if the change is intended, "
        "rerun with UPDATE_GOLDEN=1 and review the diff"
    )
