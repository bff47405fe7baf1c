#!/usr/bin/env python3
"""Launch Våga fråga. Creates .venv and installs the app on first use.

python run.py              # open the desktop app
python run.py --demo       # try it with synthetic demo data
python run.py records ...  # any CLI command (see README)
"""

import sys

from tools.bootstrap import run_in_venv

if __name__ == "__main__":
    sys.exit(run_in_venv(["-m", "app", *sys.argv[1:]], dev=False))
