"""`python -m pipeline.evaluation [CORPUS_DIR]`: see pipeline.evaluation.cli."""

import sys

from .cli import main

sys.exit(main())
