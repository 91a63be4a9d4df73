"""Form pieces every module uses."""

from __future__ import annotations

from typing import Any


class VersionedModelFormMixin:
    """A ModelForm whose save goes through a service with optimistic locking.

    The hidden `version` comes back on an edit (the instance's current version when the browser sent none) and is
    dropped on a create; uniqueness is left to the service, which names the clashing field in Chinese.
    """

    instance: Any

    def validate_unique(self) -> None:
        """Checked by the service."""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        if self.instance.pk:
            data["version"] = data.get("version") or self.instance.version
        else:
            data.pop("version", None)
        return data

