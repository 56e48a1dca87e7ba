"""`python -m pipeline.evaluation [CORPUS_DIR]`: see pipeline.evaluation.cli."""

import sys

from pipeline.evaluation.cli import main

sys.exit(main())
