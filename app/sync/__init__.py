"""Team sync (issue 15): the handler's encrypted local store is the working copy; the
team's PostgreSQL server is where the team's records meet.

* :mod:`app.sync.payload` reads a record as it travels (its row as stored, so sealed fields
  stay sealed, its earlier versions, indicators and completed prompts) and its fingerprint.
* :mod:`app.sync.state` is the device's side: which records wait, what was acknowledged.
* :mod:`app.sync.server` connects to the team server as the signed-in user (a short-lived
  connection) and upserts one batch in one transaction.
* :mod:`app.sync.witness` lets the server keep the newest audit head of each device.
* :mod:`app.sync.push` runs a sync; :mod:`app.sync.restore` brings one's own records back.

No Qt here: the CLI (``vagafraga sync``) and the desktop app both call :func:`run_sync`.
"""

from __future__ import annotations
