"""The escalation policy editor, a tab of the HQ layout: every district (and the state-wide default)
with the policy that governs it, its ordered steps (wait N minutes, re-alarm the district, alarm HQ,
notify roles by channels, repeat K times) and M, the minutes after which an acknowledged case not yet
dispatched escalates again.

An admin edits and saves (``PUT`` at HQ through ``ui.operations.hq.save_policy``); HQ operators and
supervisors read. Every edit is checked at once with the rules HQ stores by
(``core.escalation.Policy.from_json``): a policy HQ would refuse cannot be saved, and the reason is
shown. A district with no policy of its own shows the default it inherits; saving gives it its own.

The second entry is the complaints' breach policy (``COMPLAINT_BREACH_KEY``): whom a complaint's
missed deadline notifies. With none stored HQ shows its default (its duty officers by SMS and
e-mail); it only waits, notifies and repeats (``core.escalation.breach_policy_refusal``, HQ's own
rule), and M does not apply to it.

Threading: GUI thread only; the fetch and the save run on the network pool.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.escalation import (
    COMPLAINT_BREACH_KEY,
    DEFAULT_DISPATCH_OVERDUE_MIN,
    DEFAULT_KEY,
    MAX_REPEAT,
    MAX_STEPS,
    MAX_WAIT_MIN,
    ChannelName,
    ContactRole,
    Policy,
    PolicyError,
    StepAction,
    breach_policy_refusal,
)
from ui.context import ApplicationContext
from ui.hq.policy_text import action_label, channel_label, role_label, step_text
from ui.operations.hq import fetch_contacts, fetch_policy, save_policy
from ui.operations.routing import District, fetch_districts, stored_districts

if TYPE_CHECKING:
    from sync.wire import DutyContact, EscalationPolicy

ADMIN_ROLE = "admin"
FIELD_MAX_PX = 360
CONTACTS_MAX_PX = 110
ERROR_STYLE = "color: #8b0000; font-weight: bold;"
FIXED_ENTRIES = 2  # the state default and the complaints' breach policy, above the districts


class PolicyEditor(QWidget):
    def __init__(self, ctx: ApplicationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policy-editor")
        self._ctx = ctx
        self.district = DEFAULT_KEY
        self.loaded: EscalationPolicy | None = None
        self.steps: list[dict[str, Any]] = []
        self._filling = False

        self.districts = QListWidget()
        self.districts.setAccessibleName(self.tr("Districts"))
        self.districts.setMaximumWidth(240)
        self._add_district(DEFAULT_KEY, self.tr("State default (every district without its own)"))
        self._add_district(COMPLAINT_BREACH_KEY, self.tr("Missed complaint deadlines"))
        breach_tip = self.tr("Whom a complaint's missed deadline notifies (the supervisor's desk)")
        self.districts.item(1).setToolTip(breach_tip)
        self.districts.currentItemChanged.connect(lambda cur, _prev: self._chosen(cur))

        self.heading = QLabel()
        self.heading.setObjectName("policy-heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.step_list = QListWidget()
        self.step_list.setAccessibleName(self.tr("Steps, in order"))
        self.step_list.currentRowChanged.connect(self._step_chosen)

        self.action = QComboBox()
        for a in StepAction:
            self.action.addItem(action_label(a), str(a))
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(0, MAX_WAIT_MIN)
        self.minutes.setDecimals(1)
        self.minutes.setSuffix(self.tr(" min"))
        self.times = QSpinBox()
        self.times.setRange(1, MAX_REPEAT)
        self.role_boxes = {r: QCheckBox(role_label(r)) for r in ContactRole}
        self.channel_boxes = {c: QCheckBox(channel_label(c)) for c in ChannelName}
        self.overdue = QDoubleSpinBox()
        self.overdue.setRange(0, MAX_WAIT_MIN)
        self.overdue.setDecimals(1)
        self.overdue.setSuffix(self.tr(" min"))
        self.overdue.setValue(DEFAULT_DISPATCH_OVERDUE_MIN)

        for field in (self.action, self.minutes, self.times, self.overdue):
            field.setMaximumWidth(FIELD_MAX_PX)
        roles = QGridLayout()
        for i, box in enumerate(self.role_boxes.values()):
            roles.addWidget(box, i // 2, i % 2)
        roles.setColumnStretch(2, 1)  # the check boxes stay together on the left
        channels = QHBoxLayout()
        for box in self.channel_boxes.values():
            channels.addWidget(box)
        channels.addStretch(1)
        step_form = QFormLayout()
        step_form.addRow(self.tr("Action:"), self.action)
        step_form.addRow(self.tr("Wait:"), self.minutes)
        step_form.addRow(self.tr("Repeat:"), self.times)
        step_form.addRow(self.tr("Notify:"), roles)
        step_form.addRow(self.tr("By:"), channels)

        self.add_button = QPushButton(self.tr("Add step"))
        self.remove_button = QPushButton(self.tr("Remove step"))
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        step_buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            step_buttons.addWidget(b)
        step_buttons.addStretch(1)

        self.contacts = QTableWidget(0, 5)
        self.contacts.setObjectName("duty-contacts")
        self.contacts.setAccessibleName(self.tr("Duty contacts"))
        self.contacts.setHorizontalHeaderLabels(
            [self.tr("Role"), self.tr("Name"), self.tr("Police station"), self.tr("Phone"), self.tr("E-mail")]
        )
        self.contacts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contacts.verticalHeader().setVisible(False)
        self.contacts.horizontalHeader().setStretchLastSection(True)
        self.contacts.setMaximumHeight(CONTACTS_MAX_PX)
        self.contacts_note = QLabel()
        self.problem = QLabel()
        self.problem.setObjectName("policy-problem")
        self.problem.setWordWrap(True)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save policy"))
        self.revert_button = QPushButton(self.tr("Undo changes"))
        self.reload_button = QPushButton(self.tr("Reload from HQ"))
        save_row = QHBoxLayout()
        save_row.addWidget(self.state, 1)
        save_row.addWidget(self.reload_button)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)
        overdue_form = QFormLayout()
        overdue_form.addRow(self.tr("Acknowledged but not dispatched: escalate again after"), self.overdue)
        self.overdue_form = overdue_form
        self.steps_hint = QLabel()
        self.steps_hint.setWordWrap(True)

        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.origin)
        right.addWidget(self.steps_hint)
        right.addWidget(self.step_list, 1)
        right.addLayout(step_buttons)
        right.addLayout(step_form)
        right.addLayout(overdue_form)
        right.addWidget(self.contacts_note)
        right.addWidget(self.contacts)
        right.addWidget(self.problem)
        right.addLayout(save_row)
        self.read_only = QLabel(self.tr("Read only: only an administrator can change escalation policies."))
        self.read_only.setObjectName("policy-read-only")
        self.read_only.setVisible(not self.can_edit)
        right.insertWidget(1, self.read_only)
        layout = QHBoxLayout(self)
        layout.addWidget(self.districts)
        layout.addLayout(right, 1)

        self.action.currentIndexChanged.connect(lambda _i: self._step_edited())
        self.minutes.valueChanged.connect(lambda _v: self._step_edited())
        self.times.valueChanged.connect(lambda _v: self._step_edited())
        for box in (*self.role_boxes.values(), *self.channel_boxes.values()):
            box.toggled.connect(lambda _on: self._step_edited())
        self.overdue.valueChanged.connect(lambda _v: self._validate())
        self.add_button.clicked.connect(self.add_step)
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        self.reload_button.clicked.connect(self.load)
        self._show_steps([])
        stored_districts(ctx, success=self._set_districts).run(ctx.taskman)
        fetched = fetch_districts(ctx, success=self._set_districts, failure=lambda _exc: None)
        if fetched is not None:  # HQ's list, when it answers (the stored one may be older or empty)
            fetched.run(ctx.taskman)
        self.districts.setCurrentRow(0)

    @property
    def can_edit(self) -> bool:
        """Only an admin stores policies (HQ refuses anyone else too); the others read."""
        return self._ctx.role == ADMIN_ROLE

    def user_changed(self) -> None:
        self.read_only.setVisible(not self.can_edit)
        self._enable()
        self._validate()

    # ---- districts ---------------------------------------------------------------------------------
    def _add_district(self, code: str, name: str) -> None:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, code)
        self.districts.addItem(item)

    def _set_districts(self, districts: list[District]) -> None:
        if not districts:
            return
        self.districts.blockSignals(True)
        while self.districts.count() > FIXED_ENTRIES:  # the state default and the breach policy stay first
            self.districts.takeItem(FIXED_ENTRIES)
        for d in districts:
            self._add_district(d.code, d.name)
        self.districts.blockSignals(False)
        if not self.select_district(self.district):
            self.districts.setCurrentRow(0)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.district = str(item.data(Qt.ItemDataRole.UserRole))
        self.heading.setText(item.text())
        breach = self.breach
        self.steps_hint.setText(
            self.tr("Steps, in order (a missed deadline only notifies: no alarm rings for a complaint):") if breach
            else self.tr("Steps, in order (a step runs only while the case is still unacknowledged):")
        )  # fmt: skip
        self.overdue_form.setRowVisible(0, not breach)
        self.load()

    @property
    def breach(self) -> bool:
        """The complaints' breach policy is shown (not a district's)."""
        return self.district == COMPLAINT_BREACH_KEY

    def select_district(self, code: str) -> bool:
        for i in range(self.districts.count()):
            if self.districts.item(i).data(Qt.ItemDataRole.UserRole) == code:
                self.districts.setCurrentRow(i)
                return True
        return False

    # ---- fetch and save ----------------------------------------------------------------------------
    def load(self) -> None:
        """Fetch the chosen district's policy from HQ (network pool)."""
        self.loaded = None
        self._show_steps([])
        self.state.setText(self.tr("Asking HQ…"))
        self.state.setStyleSheet("")
        self.show_contacts([])
        op = fetch_policy(self._ctx, self.district, success=self._loaded, failure=self._failed)
        if op is None:
            self._failed(RuntimeError(self.tr("not signed in to HQ")))
            return
        op.run(self._ctx.taskman)
        district = self.district
        contacts = fetch_contacts(
            self._ctx, district, success=lambda c: self.show_contacts(c) if district == self.district else None,
            failure=lambda exc: self.contacts_note.setText(self.tr("Duty contacts not fetched: %1").replace(
                "%1", str(exc)[:120])),
        )  # fmt: skip
        if contacts is not None:
            contacts.run(self._ctx.taskman)

    def show_contacts(self, contacts: list[DutyContact]) -> None:
        """The officers the notify steps reach here, read-only (the admin CLI keeps them)."""
        self.contacts.setRowCount(len(contacts))
        for row, c in enumerate(contacts):
            station = self._ctx.places.name(c.station) if c.station else ""
            cells = (role_label(c.role), c.name, station, c.phone or "", c.email or "")
            for col, text in enumerate(cells):
                self.contacts.setItem(row, col, QTableWidgetItem(text))
        self.contacts.resizeColumnsToContents()
        self.contacts.horizontalHeader().setStretchLastSection(True)
        self.contacts_note.setText(
            self.tr("Duty contacts (%1; kept with the admin command line):").replace("%1", str(len(contacts)))
        )

    def _loaded(self, stored: EscalationPolicy) -> None:
        if stored.district != self.district:
            return
        self.loaded = stored
        self._fill(stored)
        self.state.setText(self.tr("As stored at HQ."))
        self.state.setStyleSheet("")

    def _fill(self, stored: EscalationPolicy) -> None:
        data = stored.policy.to_json()
        if stored.district == COMPLAINT_BREACH_KEY:
            origin = (self.tr("None stored: HQ's default, its duty officers by SMS and e-mail. Saving stores one.")
                      if stored.inherited else self.tr("Stored at HQ."))  # fmt: skip
        elif stored.district == DEFAULT_KEY:
            origin = self.tr("The state-wide default.")
        elif stored.inherited:
            origin = self.tr("No policy of its own: it follows the state default. Saving gives it its own.")
        else:
            origin = self.tr("Its own policy.")
        if stored.version:
            when = stored.updated_at.astimezone().strftime("%d %b %Y %H:%M") if stored.updated_at else "—"
            origin += " " + self.tr("Version %1, changed %2 by %3.").replace("%1", str(stored.version)).replace(
                "%2", when
            ).replace("%3", stored.updated_by or "—")
        self.origin.setText(origin)
        self._filling = True
        self.overdue.setValue(float(data.get("dispatch_overdue_min", DEFAULT_DISPATCH_OVERDUE_MIN)))
        self._filling = False
        self._show_steps(copy.deepcopy(data["steps"]))

    def _failed(self, exc: BaseException) -> None:
        self.state.setText(self.tr("HQ did not answer: %1").replace("%1", str(exc)[:160]))
        self.state.setStyleSheet(ERROR_STYLE)

    def _revert(self) -> None:
        if self.loaded is not None:
            self._fill(self.loaded)

    def policy(self) -> Policy:
        """The edited policy, checked by HQ's rules (raises ``PolicyError``)."""
        policy = Policy.from_json({"steps": self.steps, "dispatch_overdue_min": self.overdue.value()})
        refused = breach_policy_refusal(policy) if self.breach else None
        if refused is not None:
            raise PolicyError(refused)
        return policy

    def save(self) -> None:
        if not self.can_edit:
            return
        try:
            policy = self.policy()
        except PolicyError as exc:
            self._show_problem(str(exc))
            return
        district = self.district
        self.save_button.setEnabled(False)
        self.state.setText(self.tr("Saving…"))
        self.state.setStyleSheet("")

        def saved(stored: EscalationPolicy) -> None:
            if district == self.district:
                self.loaded = stored
                self._fill(stored)
            self.state.setText(self.tr("Saved at HQ. Escalations already running keep the policy they began with."))

        op = save_policy(self._ctx, district, policy, success=saved, failure=self._save_failed)
        if op is None:
            self._save_failed(RuntimeError(self.tr("not signed in to HQ")))
            return
        op.run(self._ctx.taskman)

    def _save_failed(self, exc: BaseException) -> None:
        self._validate()
        self.state.setText(self.tr("Not saved: %1").replace("%1", str(exc)[:200]))
        self.state.setStyleSheet(ERROR_STYLE)

    # ---- steps -------------------------------------------------------------------------------------
    def _show_steps(self, steps: list[dict[str, Any]], select: int = 0) -> None:
        self.steps = steps
        self.step_list.blockSignals(True)
        self.step_list.clear()
        for i, step in enumerate(steps, 1):
            self.step_list.addItem(f"{i}. {step_text(step)}")
        self.step_list.blockSignals(False)
        if steps:
            self.step_list.setCurrentRow(max(0, min(select, len(steps) - 1)))
        self._step_chosen(self.step_list.currentRow())
        self._validate()

    def _step_chosen(self, row: int) -> None:
        step = self.steps[row] if 0 <= row < len(self.steps) else None
        self._filling = True
        if step is not None:
            self.action.setCurrentIndex(max(0, self.action.findData(step.get("action"))))
            self.minutes.setValue(float(step.get("minutes") or 0))
            self.times.setValue(int(step.get("times") or 1))
            for r, box in self.role_boxes.items():
                box.setChecked(str(r) in (step.get("roles") or ()))
            for c, box in self.channel_boxes.items():
                box.setChecked(str(c) in (step.get("channels") or ()))
        self._filling = False
        self._enable()

    def _step_edited(self) -> None:
        row = self.step_list.currentRow()
        if self._filling or not 0 <= row < len(self.steps):
            return
        action = str(self.action.currentData())
        step: dict[str, Any] = {"action": action}
        if action == StepAction.WAIT:
            step["minutes"] = self.minutes.value()
        elif action == StepAction.REPEAT:
            step["times"] = self.times.value()
        elif action == StepAction.NOTIFY:
            step["roles"] = [str(r) for r, box in self.role_boxes.items() if box.isChecked()]
            step["channels"] = [str(c) for c, box in self.channel_boxes.items() if box.isChecked()]
        self.steps[row] = step
        self.step_list.item(row).setText(f"{row + 1}. {step_text(step)}")
        self._enable()
        self._validate()

    def add_step(self) -> None:
        """A new step after the selected one (a wait of 5 minutes, to be edited)."""
        if len(self.steps) >= MAX_STEPS:
            return
        row = self.step_list.currentRow() + 1 if self.steps else 0
        self.steps.insert(row, {"action": str(StepAction.WAIT), "minutes": 5.0})
        self._show_steps(self.steps, row)

    def remove_step(self) -> None:
        row = self.step_list.currentRow()
        if 0 <= row < len(self.steps):
            del self.steps[row]
            self._show_steps(self.steps, row)

    def move_step(self, by: int) -> None:
        row = self.step_list.currentRow()
        to = row + by
        if 0 <= row < len(self.steps) and 0 <= to < len(self.steps):
            self.steps[row], self.steps[to] = self.steps[to], self.steps[row]
            self._show_steps(self.steps, to)

    # ---- checks ------------------------------------------------------------------------------------
    def _enable(self) -> None:
        have = 0 <= self.step_list.currentRow() < len(self.steps)
        action = str(self.action.currentData())
        edit = self.can_edit
        self.action.setEnabled(edit and have)
        self.minutes.setEnabled(edit and have and action == StepAction.WAIT)
        self.times.setEnabled(edit and have and action == StepAction.REPEAT)
        for box in (*self.role_boxes.values(), *self.channel_boxes.values()):
            box.setEnabled(edit and have and action == StepAction.NOTIFY)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button, self.revert_button):
            button.setEnabled(edit and self.loaded is not None)
        self.overdue.setEnabled(edit and self.loaded is not None)

    def _validate(self) -> None:
        if self._filling:
            return
        try:
            policy = self.policy()
        except PolicyError as exc:
            self._show_problem(str(exc))
            self._show_changed(True)
            return
        self.problem.setText("")
        self.save_button.setEnabled(self.can_edit and self.loaded is not None)
        self._show_changed(self.loaded is not None and policy != self.loaded.policy)

    def _show_changed(self, changed: bool) -> None:
        """Say whether what is shown differs from what HQ holds (the last fetch or save)."""
        if self.loaded is None:
            return
        self.state.setStyleSheet("")
        self.state.setText(self.tr("Changed here, not saved at HQ yet.") if changed else self.tr("As stored at HQ."))

    def _show_problem(self, reason: str) -> None:
        if self.loaded is None:
            self.problem.setText("")
        else:
            self.problem.setText(self.tr("HQ would refuse this policy: %1").replace("%1", reason))
            self.problem.setStyleSheet(ERROR_STYLE)
        self.save_button.setEnabled(False)


__all__ = ["PolicyEditor"]
