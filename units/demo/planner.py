"""The units planner: units batch by batch, with their commitments, 12315 stations and, for some,
a demonstration application (``ApplicationPlanner``)."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from decimal import Decimal

from units.credit_codes import entity_kind_for
from units.demo import generators
from units.demo.applications import ApplicationPlanner
from units.demo.data import (
    BATCH_SIZE,
    BUSINESS_STATUS_WEIGHTS,
    BUSINESS_STATUSES,
    CENTRES,
    COMMITMENT_KINDS,
    COMMITMENT_TEXTS,
    COOPERATIVE_LINES,
    DISTRICT_CENTRE,
    ENTITY_TYPES,
    ENTITY_WEIGHTS,
    OUTCOME_WEIGHTS,
    OUTCOMES,
    RETURN_INDUSTRIES,
    RETURN_SCOPES,
    ROADS,
    STANDARD_SYSTEMS,
    STATION_HOURS,
    STATION_LOCATIONS,
    VERIFICATION_NOTE,
)
from units.demo.records import Batch
from units.demo_status import apply_lapse
from units.models import (
    BusinessStatus,
    Commitment,
    DemonstrationStatus,
    ServiceStation,
    Unit,
)


class UnitPlanner(ApplicationPlanner):
    """Builds unsaved units and what hangs off them, batch by batch, from ``rng`` alone.

    The first four units are the demo operators' (all in 登峰街道): ``operator`` has an approved
    unit and a draft application, ``operator2`` a submitted application and a unit with none.
    ``seed_units`` sets their owners when those accounts exist.
    """

    # --- units ------------------------------------------------------------------------------

    def batches(self, size: int = BATCH_SIZE) -> Iterator[Batch]:
        batch = Batch()
        for index in range(self.count):
            self.add_unit(batch, index)
            if len(batch.units) >= size:
                yield batch
                batch = Batch()
        if batch.units:
            yield batch

    def add_unit(self, batch: Batch, index: int) -> None:
        rng = self.rng
        entity_type = rng.choices(ENTITY_TYPES, ENTITY_WEIGHTS)[0]
        if entity_type == "3":
            line, industry = rng.choice(COOPERATIVE_LINES)
        else:
            line, industry = "", rng.choices(self.industries, self.industry_weights)[0]
        place = rng.choices(self.places, self.place_weights)[0]
        business_status = rng.choices(BUSINESS_STATUSES, BUSINESS_STATUS_WEIGHTS)[0]
        showcase = index < len(self.SHOWCASE)
        if showcase:
            # Something to show in the operators' workspace: open restaurants and shops in 登峰.
            place = self.dengfeng
            business_status = BusinessStatus.OPERATING
            entity_type, industry = "2", self.SHOWCASE_INDUSTRIES[index]
        elif index < self.coverage_end:
            # The next few units go round every street and industry once, so that even a small
            # register (in tests) has them all; the weighted draws take over after that.
            k = index - len(self.SHOWCASE)
            place = self.places[k % len(self.places)]
            industry = self.industries[k % len(self.industries)]
            if entity_type == "3":
                entity_type = "2"
        road = rng.choice(ROADS)
        code = self.credit_code(entity_type)
        legal_representative = self.person()
        contact_person = legal_representative if rng.random() < 0.6 else self.person()
        lat, lon = CENTRES.get(place.code, DISTRICT_CENTRE)
        has_pin = rng.random() < 0.7
        lat += rng.uniform(-0.012, 0.012)
        lon += rng.uniform(-0.015, 0.015)
        block_pick = rng.random()
        block_id = None
        blocks = self.blocks.get(place.id)
        if blocks and block_pick < 0.05:  # 5% of a street's units; the same draw picks the block
            block_id = blocks[int(block_pick * 20 * len(blocks))]
        unit = Unit(
            name=self.name(entity_type, industry, road, line),
            credit_code=code,
            kind=entity_kind_for(code),
            industry=industry,
            address=generators.address(rng, place.name, road),
            jurisdiction_id=place.id,
            latitude=Decimal(f"{lat:.6f}") if has_pin else None,
            longitude=Decimal(f"{lon:.6f}") if has_pin else None,
            legal_representative=legal_representative,
            contact_person=contact_person,
            contact_phone=self.phone(),
            business_status=business_status,
            block_id=block_id,
            public_id=self.public_id(),
        )
        batch.units.append(unit)

        operating = business_status == BusinessStatus.OPERATING
        committed = rng.random() < (0.65 if operating else 0.2)  # ~60% overall
        kinds = self.commitment_kinds(industry)
        unit_commitments: list[Commitment] = []
        if committed or showcase:
            unit_commitments = self.commitments(unit, kinds)
            batch.commitments.extend(unit_commitments)
        stationed = rng.random() < (0.32 if operating else 0.1)  # ~30% overall
        has_station = bool(stationed or (showcase and index == 0))
        if has_station:
            batch.stations.append(self.station(unit, contact_person))

        outcome: str | None = None
        if showcase:
            outcome = self.SHOWCASE[index]
        elif operating and committed and rng.random() < self.application_rate:
            # Cycle through every outcome first, so even a small register shows each of them.
            n = self.applications_planned
            outcome = (
                OUTCOMES[n] if n < len(OUTCOMES) else rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
            )
            if outcome == "onsite_check":
                # Every second one has been approved since and is in public notice (公示).
                self.onsite_planned += 1
                outcome = "notice" if self.onsite_planned % 2 == 0 else outcome
        if outcome is not None:
            self.applications_planned += not showcase
            planned = self.application(unit, outcome)
            batch.applications.append(planned)
            if unit.demonstration_status != DemonstrationStatus.NONE or planned.notice:
                self.meet_standard(batch, unit, unit_commitments, has_station, contact_person)
            if planned.lapse:
                apply_lapse(
                    unit,
                    planned.lapse,
                    commitments=batch.commitments,
                    stations=batch.stations,
                    today=self.today,
                )

    def commitment_kinds(self, industry: str) -> list[str]:
        rng = self.rng
        kinds = [
            kind
            for kind in COMMITMENT_KINDS
            if rng.random() < 0.7
            and (kind != Commitment.Kind.NO_REASON_RETURN or industry in RETURN_INDUSTRIES)
        ]
        return kinds or [Commitment.Kind.FIRST_ASK]

    def commitments(self, unit: Unit, kinds: list[str]) -> list[Commitment]:
        rng = self.rng
        committed_on = self.today - dt.timedelta(days=rng.randrange(30, 900))
        result = []
        for kind in kinds:
            days = 7 if rng.random() < 0.9 else 15
            is_return = kind == Commitment.Kind.NO_REASON_RETURN
            result.append(
                Commitment(
                    unit=unit,
                    kind=kind,
                    content=COMMITMENT_TEXTS[kind].format(days=days),
                    return_scope=rng.choice(RETURN_SCOPES) if is_return else "",
                    return_days=days if is_return else None,
                    committed_on=committed_on,
                )
            )
        return result

    def station(self, unit: Unit, contact_person: str) -> ServiceStation:
        rng = self.rng
        return ServiceStation(
            unit=unit,
            contact_person=contact_person,
            phone=self.phone(mobile_share=0.6),
            hours=rng.choice(STATION_HOURS),
            location=rng.choice(STATION_LOCATIONS),
            registered_on=self.today - dt.timedelta(days=rng.randrange(30, 900)),
        )

    def meet_standard(
        self,
        batch: Batch,
        unit: Unit,
        commitments: list[Commitment],
        has_station: bool,
        contact_person: str,
    ) -> None:
        """A unit approved as a demonstration unit met the standard then (units.standard): a
        12315 station with a named person and the four self-discipline systems, verified by
        staff during the on-site check before approval (``_save`` names the staff member and
        attaches the evidence file). Nothing here draws from ``rng``, so the rest of the
        register is planned exactly as without it."""
        approved_on = unit.certified_from or self.today
        verified_on = approved_on - dt.timedelta(days=3)
        have = {commitment.kind for commitment in commitments}
        for kind in STANDARD_SYSTEMS:
            if kind not in have:
                is_return = kind == Commitment.Kind.NO_REASON_RETURN
                commitment = Commitment(
                    unit=unit,
                    kind=kind,
                    content=COMMITMENT_TEXTS[kind].format(days=7),
                    return_scope=RETURN_SCOPES[0] if is_return else "",
                    return_days=7 if is_return else None,
                    committed_on=verified_on,
                )
                commitments.append(commitment)
                batch.commitments.append(commitment)
        for commitment in commitments:
            if commitment.kind not in STANDARD_SYSTEMS:
                continue
            if commitment.committed_on > verified_on:  # declared before it was verified
                commitment.committed_on = verified_on - dt.timedelta(days=30)
            commitment.verified_at = dt.datetime.combine(verified_on, dt.time(10), self.tz)
            commitment.verification_note = VERIFICATION_NOTE
        if not has_station:
            # A landline derived from the public id: no draw, and never the operator's own phone.
            number = zlib.crc32(unit.public_id.encode()) % 1_000_000
            batch.stations.append(
                ServiceStation(
                    unit=unit,
                    contact_person=contact_person,
                    phone=f"0411-86{number:06d}",
                    hours=STATION_HOURS[0],
                    location=STATION_LOCATIONS[0],
                    registered_on=verified_on - dt.timedelta(days=30),
                )
            )
