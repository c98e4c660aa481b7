import sys

from livesync.cli import main

sys.exit(main())
