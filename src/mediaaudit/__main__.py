"""Allow ``python -m mediaaudit``."""

from mediaaudit.cli.main import main

main()
