"""12315 complaints (投诉) and reports (举报), handled within the time limits of SAMR Order 20
(市场监督管理投诉举报处理暂行办法, as amended 2022), with satisfaction callbacks and the public
consumer survey of the programme."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from units.guarantees import Guarantee
from units.models import Unit


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12315 hotline")
    PLATFORM = "platform", _("National 12315 platform")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online")


class ConsumptionKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    SERVICE = "service", _("Services")


class Category(models.TextChoices):
    QUALITY = "quality", _("Quality")
    SAFETY = "safety", _("Safety")
    PRICE = "price", _("Price")
    SERVICE = "service", _("Service")
    CONTRACT = "contract", _("Contract")
    FALSE_ADVERTISING = "false_ad", _("False advertising")
    AFTER_SALES = "after_sales", _("After-sales")
    OTHER = "other", _("Other")


# Which of the Five Guarantees a substantiated complaint of each category counts against.
GUARANTEE_FOR_CATEGORY: dict[str, str] = {
    Category.QUALITY: Guarantee.QUALITY,
    Category.SAFETY: Guarantee.SAFETY,
    Category.PRICE: Guarantee.PRICE,
    Category.SERVICE: Guarantee.SERVICE,
    Category.FALSE_ADVERTISING: Guarantee.SERVICE,
    Category.CONTRACT: Guarantee.RIGHTS,
    Category.AFTER_SALES: Guarantee.RIGHTS,
    Category.OTHER: Guarantee.RIGHTS,
}


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    # Plain words for operators (issue 15): "ODR" (在线消费纠纷解决) is jargon to a shop owner.
    ODR = "odr", _("Settlement by the business itself (within 10 working days)")
    MEDIATING = "mediating", _("Mediating")
    CONCLUDED = "concluded", _("Concluded")
    REFUSED = "refused", _("Not accepted")
    # Reports (举报) only.
    VERIFYING = "verifying", _("Verifying")
    CASE_OPENED = "case_opened", _("Case opened")
    NOT_OPENED = "not_opened", _("No case opened")


OPEN_STATUSES = (Status.REGISTERED, Status.ACCEPTED, Status.ODR, Status.MEDIATING, Status.VERIFYING)
CLOSED_STATUSES = (Status.CONCLUDED, Status.REFUSED, Status.CASE_OPENED, Status.NOT_OPENED)


class Outcome(models.TextChoices):
    MEDIATED = "mediated", _("Mediated successfully")
    FAILED = "failed", _("Mediation failed")
    TERMINATED = "terminated", _("Mediation terminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TRANSFERRED = "transferred", _("Transferred")
    REFUSED = "refused", _("Not accepted")


class RefusalGround(models.TextChoices):
    """Art. 15: grounds for not accepting a complaint."""

    NOT_OUR_DUTY = "not_duty", _("Not within market supervision's duties")
    HANDLED_ELSEWHERE = (
        "elsewhere",
        _(
            "Same dispute already taken by a court, arbitration, another administrative body, the "
            "consumer association or a mediation body"
        ),
    )
    NO_CONSUMER_DISPUTE = (
        "no_dispute",
        _("Not for daily consumption, or no dispute with the respondent shown"),
    )
    TOO_LATE = "too_late", _("More than 3 years since the consumer knew of the harm")
    MATERIALS_MISSING = "materials", _("Required materials missing")
    OTHER_LEGAL = "other", _("Other legal ground")


class TerminationGround(models.TextChoices):
    """Art. 21: grounds for ending mediation."""

    SETTLED = "settled", _("Withdrawn or settled by the parties")
    NO_TESTING_AGREEMENT = "testing", _("No agreement on a testing body or its cost")
    ABSENT = "absent", _("A party refuses or fails to attend without good reason")
    NO_AGREEMENT_POSSIBLE = "impossible", _("A party states no agreement is possible")
    TIME_LIMIT = "time_limit", _("45 working days passed")
    SHOULD_NOT_ACCEPT = "not_accept", _("Found to be a case not to accept")
    OTHER = "other", _("Other")


class OdrResponse(models.TextChoices):
    PROPOSAL = "proposal", _("Proposes a settlement")
    SETTLED = "settled", _("Settled with the consumer")
    DISPUTED = "disputed", _("Disputes the complaint")


class FaultFinding(models.TextChoices):
    """Staff's finding on conclusion, whatever the outcome: a complaint is substantiated when the
    operator was at fault (rubric v2, DESIGN.md §5). Blank: not recorded (e.g. imported)."""

    AT_FAULT = "at_fault", _("The operator was at fault")
    NOT_AT_FAULT = "not_at_fault", _("The operator was not at fault")
    REFUSED_MEDIATION = "refused", _("The operator refused mediation")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    NO_ANSWER = "no_answer", _("No answer")


class Clock(models.TextChoices):
    """Which legal time limit currently runs for an open item."""

    ACCEPTANCE = "acceptance", _("Acceptance decision")
    ODR = "odr", _("Operator response")
    MEDIATION = "mediation", _("Mediation")
    REPORT = "report", _("Case decision")


class Complaint(models.Model):
    record_no = models.CharField(_("record number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    # Complainant: personal data, masked everywhere by default.
    complainant_name = models.CharField(_("complainant"), max_length=50)
    complainant_phone = models.CharField(_("phone"), max_length=20)
    complainant_id_encrypted = models.TextField(blank=True, editable=False)
    complainant_id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    complainant_address = models.CharField(_("complainant address"), max_length=200, blank=True)
    # Respondent: linked to a unit when the credit code matches, else kept as given.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("respondent unit"),
    )
    respondent_name = models.CharField(_("respondent"), max_length=200)
    respondent_credit_code = models.CharField(
        _("respondent credit code"), max_length=18, blank=True
    )
    respondent_address = models.CharField(_("respondent address"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    consumption_kind = models.CharField(
        _("consumption kind"), max_length=10, choices=ConsumptionKind.choices
    )
    category = models.CharField(_("issue category"), max_length=12, choices=Category.choices)
    request_text = models.TextField(_("request and facts"), max_length=5000)
    amount_involved = models.DecimalField(
        _("amount involved (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    # Workflow state.
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    refusal_ground = models.CharField(
        _("ground for not accepting"), max_length=12, choices=RefusalGround.choices, blank=True
    )
    termination_ground = models.CharField(
        _("ground for terminating"), max_length=12, choices=TerminationGround.choices, blank=True
    )
    transferred_to = models.CharField(_("transferred to"), max_length=200, blank=True)
    amount_recovered = models.DecimalField(
        _("economic loss recovered (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    conclusion_note = models.TextField(_("conclusion"), max_length=2000, blank=True)
    fault_finding = models.CharField(
        _("finding of fault"), max_length=12, choices=FaultFinding.choices, blank=True
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    odr_forwarded_on = models.DateField(_("forwarded to the operator on"), null=True, blank=True)
    odr_response = models.CharField(
        _("operator's response"), max_length=10, choices=OdrResponse.choices, blank=True
    )
    odr_response_text = models.TextField(_("operator's reply"), max_length=2000, blank=True)
    odr_responded_at = models.DateTimeField(null=True, blank=True)
    odr_escalated = models.BooleanField(default=False)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    # Legal clocks, stored when set so lists filter and sort on them in SQL.
    acceptance_due = models.DateField(_("acceptance due"), null=True, blank=True)
    odr_due = models.DateField(_("operator response due"), null=True, blank=True)
    mediation_due = models.DateField(_("mediation due"), null=True, blank=True)
    termination_notice_due = models.DateField(_("termination notice due"), null=True, blank=True)
    report_due = models.DateField(_("case decision due"), null=True, blank=True)
    current_clock = models.CharField(max_length=12, choices=Clock.choices, blank=True)
    current_due = models.DateField(_("due"), null=True, blank=True, db_index=True)
    current_due_provisional = models.BooleanField(default=False)
    # Satisfaction callback (回访).
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    satisfaction_at = models.DateTimeField(null=True, blank=True)
    satisfaction_via_link = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        permissions = [("unmask_complainant", "Can see a complainant's personal data")]
        indexes = [
            models.Index(fields=["jurisdiction", "received_at"]),
            models.Index(fields=["status", "current_due"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["concluded_on"]),
            models.Index(fields=["category", "received_at"]),
            # The staff list's default order, alone and within a street (issue 17).
            models.Index(fields=["-received_at", "-id"], name="complaint_newest"),
            models.Index(
                fields=["jurisdiction", "-received_at", "-id"], name="complaint_street_newest"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_recovered__isnull=True) | Q(amount_recovered__gte=0),
                name="complaint_recovered_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_involved__isnull=True) | Q(amount_involved__gte=0),
                name="complaint_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_ground=""),
                name="complaint_refusal_has_ground",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="terminated") | ~Q(termination_ground=""),
                name="complaint_termination_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return self.record_no

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def guarantee(self) -> str:
        return GUARANTEE_FOR_CATEGORY[self.category]


class ComplaintEvent(models.Model):
    """The timeline: every step, who took it (None for the system or an import), and why."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class MediationRecord(models.Model):
    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contact with a party")
        SESSION = "session", _("Mediation session")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="mediations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    note = models.TextField(_("record"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


class MediationPause(models.Model):
    """Testing, inspection or appraisal (检验/检测/鉴定) stops the 45-day mediation clock."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField(_("paused from"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(ended_on__isnull=True),
                name="pause_one_running_per_complaint",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.started_on}"


class CallbackLink(models.Model):
    """A one-time link for the complainant to answer the satisfaction callback without a login.

    Only a hash of the token is stored: a database dump cannot be used to answer for anyone.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="callbacks")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.complaint_id} callback"


class SurveyResponse(models.Model):
    """One answer to the programme's consumer survey (online or entered from a paper form)."""

    class LifeServices(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        NEUTRAL = "neutral", _("So-so")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form")

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    answered_on = models.DateField(_("date"))
    aware = models.BooleanField(_("aware of the assured consumption programme"))
    approves = models.BooleanField(_("approves of the programme"), null=True, blank=True)
    life_services = models.CharField(
        _("satisfaction with life services"), max_length=12, choices=LifeServices.choices
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["jurisdiction", "answered_on"])]
        constraints = [
            # Only someone aware of the programme can approve or disapprove of it.
            models.CheckConstraint(
                condition=Q(aware=True) | Q(approves__isnull=True),
                name="survey_approval_needs_awareness",
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id} {self.answered_on}"
