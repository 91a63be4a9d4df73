from wildlife.core.tables import Column
from wildlife.core.tests.sample import services
from wildlife.core.tests.sample.forms import SampleForm
from wildlife.core.tests.sample.models import SampleRecord
from wildlife.core.views import ObjectDeleteView, ObjectDetailView, ObjectFormView, ObjectListView


class SampleListView(ObjectListView):
    model = SampleRecord
    title = "示例记录"
    columns = (
        Column("name", "名称", link=True, order_by="name"),
        Column("area", "所属镇街", order_by="area__name"),
        Column("created_at", "创建时间", order_by="created_at"),
    )
    search_fields = ("name",)
    create_url_name = "sample:create"


class SampleDetailView(ObjectDetailView):
    model = SampleRecord
    template_name = "sample/detail.html"


class SampleCreateView(ObjectFormView):
    model = SampleRecord
    permission_action = "add"
    form_class = SampleForm
    service = services.sample_create


class SampleUpdateView(ObjectFormView):
    model = SampleRecord
    permission_action = "change"
    form_class = SampleForm
    service = services.sample_update


class SampleDeleteView(ObjectDeleteView):
    model = SampleRecord
    service = services.sample_delete
    success_url_name = "sample:list"
