"""Support directory, referral suggestions, support sheet, child-concern report. No Qt, no SQL."""
