from django.urls import path
from django.utils.translation import gettext_lazy as _

from wildlife.enforcement import forms, views
from wildlife.enforcement.models import BaseValue, PenaltyRule, TipoffTimeLimit, TransferThreshold, ValueCoefficient

app_name = "enforcement"
urlpatterns = [
    # tip-offs
    path("tipoffs/", views.TipoffListView.as_view(), name="tipoff_list"),
    path("tipoffs/map.geojson", views.TipoffMapView.as_view(), name="tipoff_map"),
    path("tipoffs/new/", views.TipoffCreateView.as_view(), name="tipoff_create"),
    path("tipoffs/<int:pk>/", views.TipoffDetailView.as_view(), name="tipoff_detail"),
    path("tipoffs/<int:pk>/informant/", views.TipoffRevealView.as_view(), name="tipoff_reveal"),
    path("tipoffs/<int:pk>/photos/<int:photo_id>/", views.TipoffPhotoView.as_view(), name="tipoff_photo"),
    path("tipoffs/<int:pk>/<slug:action>/", views.TipoffActionView.as_view(), name="tipoff_action"),
    # cases
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.CaseCreateView.as_view(), name="case_create"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/edit/", views.CaseEditView.as_view(), name="case_edit"),
    path("cases/<int:pk>/graph/", views.CaseGraphView.as_view(), name="case_graph"),
    path("cases/<int:pk>/transfer-letter.pdf", views.CaseTransferLetterView.as_view(), name="case_transfer_letter"),
    path("cases/<int:pk>/parties/<int:party_id>/", views.CasePartyDetailView.as_view(), name="case_party"),
    path("cases/<int:pk>/parties/<int:party_id>/remove/", views.CasePartyRemoveView.as_view(), name="case_party_remove"),
    path("cases/<int:pk>/items/<int:item_id>/handover/", views.CaseHandoverView.as_view(), name="case_item_handover"),
    path("cases/<int:pk>/evidence/<int:evidence_id>/", views.CaseEvidenceDownloadView.as_view(), name="case_evidence"),
    path("cases/<int:pk>/<slug:action>/", views.CaseActionView.as_view(), name="case_action"),
    # rescue hand-overs
    path("handovers/", views.HandoverListView.as_view(), name="handover_list"),
    path("handovers/<int:pk>/", views.HandoverDetailView.as_view(), name="handover_detail"),
    # special operations
    path("operations/", views.OperationListView.as_view(), name="operation_list"),
    path("operations/new/", views.OperationCreateView.as_view(), name="operation_create"),
    path("operations/<int:pk>/", views.OperationDetailView.as_view(), name="operation_detail"),
    path("operations/<int:pk>/edit/", views.OperationEditView.as_view(), name="operation_edit"),
    # rules
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("rules/penalties/new/", views.rule_form_view(PenaltyRule, forms.PenaltyRuleForm, _("新增罚则"), "add"), name="penalty_rule_create"),
    path("rules/penalties/<int:pk>/", views.rule_form_view(PenaltyRule, forms.PenaltyRuleForm, _("编辑罚则"), "change"), name="penalty_rule_edit"),
    path("rules/coefficients/new/", views.rule_form_view(ValueCoefficient, forms.CoefficientForm, _("新增价值系数"), "add"), name="coefficient_create"),
    path("rules/coefficients/<int:pk>/", views.rule_form_view(ValueCoefficient, forms.CoefficientForm, _("编辑价值系数"), "change"), name="coefficient_edit"),
    path("rules/thresholds/new/", views.rule_form_view(TransferThreshold, forms.ThresholdForm, _("新增移送标准"), "add"), name="threshold_create"),
    path("rules/thresholds/<int:pk>/", views.rule_form_view(TransferThreshold, forms.ThresholdForm, _("编辑移送标准"), "change"), name="threshold_edit"),
    path("rules/base-values/new/", views.rule_form_view(BaseValue, forms.BaseValueForm, _("新增基准价值"), "add"), name="base_value_create"),
    path("rules/base-values/<int:pk>/", views.rule_form_view(BaseValue, forms.BaseValueForm, _("编辑基准价值"), "change"), name="base_value_edit"),
    path("rules/time-limits/new/", views.rule_form_view(TipoffTimeLimit, forms.TimeLimitForm, _("新增办理期限"), "add"), name="time_limit_create"),
    path("rules/time-limits/<int:pk>/", views.rule_form_view(TipoffTimeLimit, forms.TimeLimitForm, _("编辑办理期限"), "change"), name="time_limit_edit"),
    # the intake role (security administrator)
    path("intake-members/", views.IntakeMembersView.as_view(), name="intake_members"),
]
