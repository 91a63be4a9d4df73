"""API base classes: every queryset through restrict(), 404 outside scope, GeoJSON on demand, idempotent writes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from wildlife.core.api.errors import problem_response
from wildlife.core.api.permissions import ACTION_BY_METHOD, ScopedModelPermission


class IdempotentMixin:
    """Writes sent with `Idempotency-Key` return the first result on retry; the same key with another body is 422."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        record = getattr(request, "_idempotency_pending", None)
        if record is not None and 200 <= response.status_code < 300:
            from wildlife.core.models import IdempotencyRecord

            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(**record, status_code=response.status_code, response_body=getattr(response, "data", None))
            except IntegrityError:
                pass  # a concurrent retry stored it first; both answered with the same effect
        return response

    def idempotent_replay(self, request: Request) -> Response | None:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or request.method not in ("POST", "PUT", "PATCH", "DELETE") or not request.user.is_authenticated:
            return None
        if len(key) > 100:
            return problem_response(status_code=400, code="idempotency_key_invalid", title="Idempotency-Key 过长（最多 100 个字符）")
        from wildlife.core.models import IdempotencyRecord

        body_hash = hashlib.sha256(canonical_json(request.data).encode("utf-8")).hexdigest()
        existing = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if existing is not None:
            if existing.body_hash != body_hash or existing.path != request.path or existing.method != request.method:
                return problem_response(status_code=422, code="idempotency_key_reused", title="同一 Idempotency-Key 已用于不同的请求")
            replay = Response(existing.response_body, status=existing.status_code)
            replay["Idempotent-Replayed"] = "true"
            return replay
        request._idempotency_pending = {  # type: ignore[attr-defined]
            "key": key,
            "user": request.user,
            "method": request.method,
            "path": request.path,
            "body_hash": body_hash,
        }
        return None


class ScopedModelViewSet(IdempotentMixin, viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Model viewset over `model.objects.restrict(user, action)`. Writes call services in subclasses."""

    model: Any = None
    delete_service: Any = None  # staticmethod(services.<entity>_delete): DELETE calls it with actor and obj
    permission_classes = [ScopedModelPermission]
    geojson_geometry_field: str | None = None  # lists with locations answer ?format=geojson

    def get_queryset(self) -> Any:
        action = ACTION_BY_METHOD.get(self.request.method or "GET", "view")
        if self.action in ("list", "retrieve") or action == "view":
            action = "view"
        queryset = self.model._default_manager.all().restrict(self.request.user, action)
        if not queryset.ordered:
            queryset = queryset.order_by("-pk")
        return self.optimise(queryset)

    def optimise(self, queryset: Any) -> Any:
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.idempotent_replay(request) or super().create(request, *args, **kwargs)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.idempotent_replay(request) or super().update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        replay = self.idempotent_replay(request)
        if replay is not None:
            return replay
        if self.delete_service is None:
            return super().destroy(request, *args, **kwargs)
        self.delete_service(actor=request.user, obj=self.get_object())
        return Response(status=204)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if getattr(request.accepted_renderer, "format", "") == "geojson" and self.geojson_geometry_field:
            return self.geojson_response(self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    def geojson_response(self, queryset: Any, limit: int = 5000) -> Response:
        """FeatureCollection of the filtered rows (capped; maps of large layers use gridded endpoints)."""
        serializer_class = self.get_serializer_class()
        features = []
        field = self.geojson_geometry_field
        assert field is not None
        total = queryset.count()
        for obj in queryset[:limit]:
            data = serializer_class(obj, context=self.get_serializer_context()).data
            geometry = data.pop(field, None)
            features.append({"type": "Feature", "id": obj.pk, "geometry": geometry, "properties": data})
        response = Response({"type": "FeatureCollection", "features": features, "count": total, "truncated": total > limit})
        response.content_type = "application/geo+json"
        return response


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
