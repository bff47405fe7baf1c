"""Practice scenarios for trainees and their results for trainers."""
