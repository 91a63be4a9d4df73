"""The contract tests, applied to the sample register: a new scoped model gets these by declaring attributes."""

from typing import Any

from wildlife.core.testing.contracts import ScopedRegisterContract
from wildlife.core.tests.sample.models import SampleRecord


class TestSampleRecordContract(ScopedRegisterContract):
    model = SampleRecord
    list_url_name = "sample:list"
    detail_url_name = "sample:detail"
    api_list_path = "/api/v1/sample/records/"
    no_permission_user = "police_officer"

    def make_record(self, area: Any) -> SampleRecord:
        return SampleRecord.objects.create(name="王村镇的示例", area=area, district=area.district_ancestor())
