"""Observation photos: EXIF time and GPS are read (and offered to the form); the stored copy has no GPS."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from wildlife.surveys import services
from wildlife.surveys.models import Observation, ObservationPhoto
from wildlife.surveys.tests import factories as f

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825


def dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    seconds = round((minutes_float - minutes) * 60 * 10000)
    return IFDRational(degrees), IFDRational(minutes), IFDRational(seconds, 10000)


def photo_bytes(*, lon: float | None = 117.74, lat: float | None = 36.75, taken: str | None = "2025:05:10 08:30:15", fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (80, 60), (110, 150, 90))
    exif = Image.Exif()
    exif[0x010F] = "DemoCam"
    if taken:
        exif[0x8769] = {0x9003: taken}
    if lon is not None and lat is not None:
        exif[GPS_IFD] = {1: "N", 2: dms(lat), 3: "E", 4: dms(lon)}
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


def test_exif_time_and_gps_are_read() -> None:
    facts = services.photo_read_exif(photo_bytes())
    assert facts.location is not None
    assert abs(facts.location.x - 117.74) < 1e-5 and abs(facts.location.y - 36.75) < 1e-5
    assert facts.taken_at is not None and facts.taken_at.strftime("%Y-%m-%d %H:%M:%S %z") == "2025-05-10 08:30:15 +0800"


def test_photo_without_exif_gives_nothing() -> None:
    facts = services.photo_read_exif(photo_bytes(lon=None, lat=None, taken=None))
    assert facts.location is None and facts.taken_at is None


def test_not_an_image_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        services.photo_read_exif(b"%PDF-1.4 not an image")
    assert "image" in exc.value.message_dict


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_stored_copy_has_no_gps_but_keeps_the_time(zhoucun: Any, district_officer: Any, fmt: str) -> None:
    observation = f.ObservationFactory()
    upload = SimpleUploadedFile(f"IMG_0001.{fmt.lower()}", photo_bytes(fmt=fmt), content_type=f"image/{fmt.lower()}")
    photo = services.observation_photo_add(actor=district_officer, observation=observation, image=upload, caption="林缘")
    assert photo.exif_location is not None and photo.exif_taken_at is not None
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        exif = stored.getexif()
        assert GPS_IFD not in exif
        assert not exif.get_ifd(GPS_IFD)
        assert exif.get(0x010F) == "DemoCam"
    with photo.image.open("rb") as handle:
        again = services.photo_read_exif(handle.read())
    assert again.location is None
    if fmt == "JPEG":
        assert again.taken_at == photo.exif_taken_at


def test_photo_is_scoped_like_its_observation(zhoucun: Any, district_officer: Any, other_town_officer: Any, town_officer: Any, client_for: Any) -> None:
    observation = f.ObservationFactory()
    photo = services.observation_photo_add(actor=district_officer, observation=observation, image=SimpleUploadedFile("a.jpg", photo_bytes()))
    url = reverse("surveys:photo_file", args=[photo.pk])
    inside = client_for(town_officer).get(url)
    assert inside.status_code == 200
    served = b"".join(inside.streaming_content)
    assert GPS_IFD not in Image.open(io.BytesIO(served)).getexif()
    assert client_for(other_town_officer).get(url).status_code == 404


def test_exif_endpoint_offers_time_and_position(zhoucun: Any, town_officer: Any, client_for: Any) -> None:
    response = client_for(town_officer).post(reverse("surveys:photo_exif"), {"photo": SimpleUploadedFile("a.jpg", photo_bytes())})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-time="2025-05-10T08:30"' in html and 'data-lon="117.74' in html and 'data-lat="36.75' in html
    bad = client_for(town_officer).post(reverse("surveys:photo_exif"), {"photo": SimpleUploadedFile("a.jpg", b"plain text")})
    assert "不是可识别的图片" in bad.content.decode()


def test_form_uses_the_photo_gps_when_no_position_is_given(zhoucun: Any, town_officer: Any, client_for: Any) -> None:
    project = f.SurveyProjectFactory()
    f.species("喜鹊")
    lonlat = f.point_in("王村镇", dx=0.002, dy=0.001)
    data = {
        "project": project.pk,
        "species_text": "喜鹊",
        "count": 3,
        "observed_at": "2025-05-10T08:30",
        "use_photo_exif": "on",
        "photo": SimpleUploadedFile("field.jpg", photo_bytes(lon=lonlat.x, lat=lonlat.y), content_type="image/jpeg"),
    }
    response = client_for(town_officer).post(reverse("surveys:observation_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    observation = Observation.objects.get()
    assert abs(observation.location.x - lonlat.x) < 1e-5 and abs(observation.location.y - lonlat.y) < 1e-5
    photo = ObservationPhoto.objects.get(observation=observation)
    with photo.image.open("rb") as handle, Image.open(handle) as stored:
        assert GPS_IFD not in stored.getexif()
