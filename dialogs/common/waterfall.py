"""botbuilder's WaterfallDialog, with the instance id drawn from uuid4 instead of uuid1.

`WaterfallDialog.begin_dialog` names each run of a waterfall with `uuid.uuid1()` (for telemetry;
it is stored in the dialog state and read by nothing here). On Linux, uuid1 asks libuuid, which
tries to reach the `uuidd` daemon over a socket on every call: a socket, a failed connect and a
close, with the interpreter lock held, about 25 us. The assess loop begins a waterfall on every
answer (`replace_dialog`), so that was about 2 % of an assess turn. uuid4 is just as unique and
needs no system call but a read of random bytes.
"""

from __future__ import annotations

import uuid
from typing import Any

from botbuilder.dialogs import DialogContext, DialogReason, DialogTurnResult, WaterfallDialog


class Waterfall(WaterfallDialog):
    """A WaterfallDialog whose `begin_dialog` does what the SDK's does, with a uuid4 id."""

    async def begin_dialog(
        self, dialog_context: DialogContext, options: object = None
    ) -> DialogTurnResult:
        if not dialog_context:
            raise TypeError("WaterfallDialog.begin_dialog(): dc cannot be None.")
        state: dict[str, Any] = dialog_context.active_dialog.state
        instance_id = str(uuid.uuid4())
        state[self.PersistedOptions] = options
        state[self.PersistedValues] = {}
        state[self.PersistedInstanceId] = instance_id
        properties = {"DialogId": self.id, "InstanceId": instance_id}
        self.telemetry_client.track_event("WaterfallStart", properties)
        result: DialogTurnResult = await self.run_step(
            dialog_context, 0, DialogReason.BeginCalled, None
        )
        return result
