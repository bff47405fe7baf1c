"""Practice scenarios, the simulated client and scoring. No Qt, no SQL."""
